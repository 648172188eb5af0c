# linea: casework messages (en).
action-new-referral = Refer
action-new-referral-help = Start a referral from the call or case on screen
action-search = Search
action-search-help = Search names and notes, ignoring accents and case
action-stats = Statistics
action-stats-help = The office's figures for a period
action-directory = Directory
action-directory-help = Services to refer to, and what to tell callers
action-follow-up = Follow-up
action-follow-up-help = Referrals due or overdue for follow-up
action-case = Case
action-case-help = On a call: open its case, or start one
action-add-person = Person
action-add-person-help = Record a person in the case (a victim, a suspect...)
