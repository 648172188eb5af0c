# Central's figures across offices (F7 at central, linea central stats) and the report.

central-stats-title = Figures of every office
central-stats-office = Office: { $office }
central-stats-all-offices = Every office
central-stats-totals = Totals
central-stats-total-calls = Calls
central-stats-total-presumed-victims = People flagged as presumed victims
central-stats-total-referrals = Referrals made
central-stats-total-police-cases = Cases referred to the police
central-stats-total-overdue = Referrals overdue today
central-stats-calls-by-office = Calls by office
central-stats-calls-per-week = Calls by week
central-stats-calls-per-month = Calls by month
central-stats-presumed-victims = Presumed victims by office
central-stats-funnel = Referral funnel
central-stats-u1-to-police = From an emergency (U1) call to the police report
central-stats-overdue = Overdue referrals by office
central-stats-unknown-office = No office has the id { $office }.
central-funnel-referred = Referred (sent to the institution)
central-funnel-acknowledged = Acknowledged by the institution
central-funnel-investigation-or-service = Investigation opened or service given
central-funnel-closed = Closed with the service given
central-u1-calls = U1 calls with a police report
central-u1-median = Median days
central-u1-p90 = 90th percentile, days
central-u1-sentence = { $count ->
    [one] 1 U1 call with a police report: median { $median } days, 90th percentile { $p90 } days
   *[other] { $count } U1 calls with a police report: median { $median } days, 90th percentile { $p90 } days
}
central-u1-none = No U1 call with a police report in this period.
field-central-office = Office (its id; empty: every office)

report-title = Anti-trafficking hotline: figures
report-period = From { $from } to { $to }
report-scope-office = Office: { $office }
report-calls = { $count ->
    [one] { $number } call
   *[other] { $number } calls
}
report-police-cases = { $count ->
    [one] { $number } case referred to the police
   *[other] { $number } cases referred to the police
}
report-months = { $count ->
    [one] in { $number } month
   *[other] in { $number } months
}
report-headline = { $calls }, { $police } { $months }.
report-contents = Counts only: this report holds no name, phone number, note or record id.
report-made = Made by linea on { $date }.
report-calls-by-month = Calls by month and reason
report-by-department = Calls by department
report-exploitation = Forms of exploitation reported
report-funnel = Referral funnel
report-funnel-note = Referrals made in the period, by the furthest step their history reached: sent; acknowledged (or declined) by the institution; accepted, being attended or completed; completed.
report-response = Response times
report-sync = Offices' sync health
report-col-department = Department
report-col-calls = Calls
report-col-share = Share
report-col-office = Office
report-col-name = Name
report-col-last-batch = Last batch
report-col-last-import = Imported
report-col-days-since = Days since
report-col-state = State
report-never = never
report-chart = Chart: { $title }
report-public-note = Published version: counts from 1 to { $max } are hidden (–), and so are the counts that would let them be worked out from the totals shown.
report-u1-hidden = Fewer than { $k } U1 calls with a police report: their times are not published.
