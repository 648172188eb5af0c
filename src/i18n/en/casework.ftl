# linea: casework messages (en).
action-new-referral = Refer
action-new-referral-help = Start a referral from the call or case on screen
action-search = Search
action-search-help = Search names and notes, ignoring accents and case, or a phone number typed any way
action-stats = Stats
action-stats-help = The office's figures for a period
action-directory = Directory
action-directory-help = Services to refer to, and what to tell callers
action-follow-up = Follow-up
action-follow-up-help = Referrals due or overdue for follow-up
action-case = Case
action-case-help = On a call: open its case, or start one
action-add-person = Person
action-add-person-help = Record a person in the case (a victim, a suspect...)

## Screens
screen-new-referral = New referral
screen-referral = Referral
screen-follow-up = Follow-up
screen-case = Case
screen-person = Person in the case
screen-search = Search

## Referral form
field-target_type = Refer to (type)
field-institution = Institution
field-referral_reason = Reason
field-sharing_basis = Basis for sharing
field-sent_at = Sent on
field-method = Method
field-reference = Their reference
field-due_at = Follow up by
field-lead-passphrase = Passphrase
referral-bad-time = "{ $text }" is not a time like 2026-11-28 15:40
referral-saved = Referral saved.
referral-checking-lead = Checking the lead's passphrase...
referral-lead-refused = That is not the office lead's passphrase; the referral was not saved.
referral-exception-note = Sharing without the person's consent: only for a minor's protection, imminent danger or a legal obligation, and the office lead confirms it with their passphrase.
referral-lead-question = The office lead confirms sharing without consent: passphrase, then Enter (Esc: back)
referral-needs-record = Open a call or a case first: a referral comes from one.

## Referral and its status
field-referral-status = Status
field-referral-note = Note
referral-status-title = New status, with a note (F2 saves)
referral-status-saved = Status recorded.
referral-escalate = No response: escalate. Refer to another institution (F4) or tell the office lead.
referral-escalate-to = Next for this place: { $name }, tel. { $phone }.
referral-escalate-to-no-phone = Next for this place: { $name }.
referral-final = This referral is closed; its status changes no more. Make a new referral (F4).
referral-confirmed-by = Exception confirmed by
referral-history = History

## Follow-up
follow-up-count = { $count ->
    [0] No referral due for follow-up.
    [one] 1 referral due or overdue
   *[other] { $count } referrals due or overdue
}
follow-up-escalate = ESCALATE
follow-up-column-late = Late
follow-up-column-office = Office
follow-up-column-institution = Institution
follow-up-days = { $days ->
    [0] today
   *[other] { $days } d
}

## Case
field-case-status = Case status
case-people = { $count ->
    [0] People: none recorded (Ctrl-A adds one)
    [one] People: 1
   *[other] People: { $count }
}
case-timeline = Timeline
case-call = Call
case-referral = Referral
case-age = { $years ->
    [one] 1 year
   *[other] { $years } years
}
case-not-for-non-substantive = A non-substantive call cannot open a case.
case-new-from-call = A new case from this call
case-untitled = (untitled)
case-choose = Case for this call

## Person in a case
field-role = Role
field-person-name = Name
field-alias = Alias
field-phone = Phone
field-migration_status = Migration status
field-trafficking_status = Trafficking status
person-saved = Person recorded in the case.

## Search
search-prompt = Search:
search-hint = Type names, words from the notes or a phone number; accents do not matter.
search-none = No call has all those words.
search-found = { $count ->
    [one] 1{ $more } call found
   *[other] { $count }{ $more } calls found
}
