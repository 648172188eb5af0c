# linea: English messages. Every id here must exist in es.ftl and fr.ftl (a test checks).

## Screens
screen-home = Home
screen-calls = Calls
screen-call = Call
screen-new-call = New call
screen-edit-call = Adding to a call
screen-help = Help
screen-unlock = Unlock
screen-setup = Setting up

## Actions: label for the key bar, then help text
action-help = Help
action-help-help = Show every key of this screen and what it does
action-save = Save
action-save-help = Save the record (or apply the filter)
action-new-call = New call
action-new-call-help = Start logging a new call, with its timer running
action-call-template = Template
action-call-template-help = Start a new call from a template: the frequent calls, and those saved at once
action-calls = Calls
action-calls-help = The list of calls, newest first
action-quit = Quit
action-quit-help = Leave linea (asks first if a call is being typed; its draft is kept)
action-lock = Lock
action-lock-help = Lock now: the screen is wiped and the store closed until the passphrase is typed
action-back = Back
action-back-help = Go back, close a list, or cancel
action-home = Home
action-home-help = Go home from any screen; a call being typed is kept, to bring back from home
action-discard = Discard
action-discard-help = Discard the unsaved call (home brings it back the same day)
action-wipe = Wipe
action-wipe-help = On the lock screen, twice: destroy every operator's key (only central's recovery opens the store then)
action-bring-back = Bring back
action-bring-back-help = On home: bring back the call left unsaved, or the one discarded today
action-next-field = Next
action-next-field-help = Go to the next field
action-prev-field = Previous
action-prev-field-help = Go to the previous field
action-choose = Choose
action-choose-help = On a list field (a code, a place, a choice): open its list; on another field: go to the next
action-record-transfer = Transfer
action-record-transfer-help = Record a warm transfer to an institution, with the time
action-record-police-report = Police
action-record-police-report-help = Record a report to the police, with the time
action-earlier-calls = Earlier calls
action-earlier-calls-help = On a new call: list the earlier calls from the number typed
action-join-case = Same case
action-join-case-help = On a new call: put it in the case of the latest earlier call from the same number
action-move-up = Up
action-move-up-help = Move up
action-move-down = Down
action-move-down-help = Move down
action-page-up = Page up
action-page-up-help = Move up a page
action-page-down = Page down
action-page-down-help = Move down a page
action-first = First
action-first-help = Go to the first row
action-last = Last
action-last-help = Go to the last row
action-open = Open
action-open-help = Open the selected item (on a call: add to it at that field)
action-reveal = Reveal
action-reveal-help = Show or hide the name and phone number on the selected row
action-filter = Filter
action-filter-help = Filter the list by dates, reason, urgency, place and phone
action-confirm = OK
action-confirm-help = Choose the highlighted item, or mark it; answer yes to a question

## Form fields
field-channel = Channel
field-caller_type = Caller
field-reason = Reason
field-urgency = Urgency
field-caller_name = Caller's name
field-caller_phone = Caller's phone
field-caller_phone_hashes = Caller's phone (hashed)
field-caller_place = Caller's place
field-language = Language
field-recruitment_place = Recruited in
field-exploitation_place = Exploited in
field-exploitation_types = Exploitation
field-means_of_control = Means of control
field-indicators = Indicators
field-age_years = Age (years)
field-age_band = Age band
field-gender = Gender
field-citizenship = Citizenship
field-information_given = Information given
field-outcomes = Outcome
field-notes = Notes
field-unlock-operator = Operator
field-unlock-passphrase = Passphrase
field-filter-from = From (YYYY-MM-DD)
field-filter-to = To (YYYY-MM-DD)
field-setup-kit-file = Office kit file
field-setup-operator = Your name
field-setup-passphrase = Passphrase
field-setup-passphrase-again = Passphrase again
field-setup-fingerprint = Fingerprint read out
form-answers-summary = { $yes } yes, { $no } no, { $unknown } unknown

## Pick lists
picker-type-to-filter = Type to filter:
form-key-choose = Choose
form-key-mark = Mark
form-key-answer = Yes/No/?
form-key-new-line = New line
picker-no-match = Nothing matches; Backspace to widen
place-department = department
place-province = province
place-district = district
answer-yes-short = Y
answer-no-short = N

## Home
home-calls-today = { $count ->
    [one] 1 call today
   *[other] { $count } calls today
}
home-referrals-due = { $count ->
    [0] No referral due for follow-up
    [one] 1 referral due for follow-up ({ $overdue } overdue)
   *[other] { $count } referrals due for follow-up ({ $overdue } overdue)
}
home-due = due
home-overdue = OVERDUE
home-open-cases = { $count ->
    [one] 1 open case
   *[other] { $count } open cases
}
home-unsent = { $count ->
    [0] Every change has been sent to central
    [one] 1 change not yet sent to central
   *[other] { $count } changes not yet sent to central
}
home-drafts = { $count ->
    [one] 1 call not saved: { $key } brings it back
   *[other] { $count } calls not saved: { $key } brings it back
}
home-discarded = { $count ->
    [one] 1 call discarded today: { $key } brings it back
   *[other] { $count } calls discarded today: { $key } brings it back
}
call-discarded = Call discarded. { $key } on home brings it back until the end of the day.
call-brought-back = The call is back, as it was left.
weekday-0 = Mon
weekday-1 = Tue
weekday-2 = Wed
weekday-3 = Thu
weekday-4 = Fri
weekday-5 = Sat
weekday-6 = Sun

## Calls list
filter-title = Filter
filter-from = from
filter-to = to
filter-none = all calls
filter-bad-date = "{ $text }" is not a date like 2026-11-28
column-started = Started
column-urgency = U
column-reason = Reason
column-place = Place
column-phone = Phone
column-caller = Caller
calls-none = No calls match.

## Call form and view
call-saved = Call saved.
call-urgency-proposed = Urgency from the reason: { $urgency }. Change it if the call says otherwise.
call-discard-question = This call is not saved. { $discard }: discard it (home brings it back today). { $home }: home, keeping it. Esc, Enter: keep typing.
call-header = Started { $started }, ended { $ended }, by { $author }, version { $version }
call-earlier = { $count ->
    [one] 1 earlier call from this number
   *[other] { $count } earlier calls from this number
} — { $see }: see them
call-earlier-case = { $count ->
    [one] 1 earlier call from this number
   *[other] { $count } earlier calls from this number
} — { $see }: see them; { $join }: same case
call-in-earlier-case = In the case of an earlier call from this number — { $see }: see the calls
call-earlier-no-case = The latest earlier call from this number has no case.
call-joined-case = This call will be saved in the case of the latest earlier call.
flag-possible-victim = Possible victim (indicator rule; not a legal finding)
emergency-title = EMERGENCY
emergency-local = Near the caller
emergency-none-yet = No transfer or police report recorded yet.
emergency-recorded = Recorded at { $time }: { $what }, { $target }
emergency-already = Already recorded at { $time }: { $what }, { $target }
emergency-target-title = { $what }: to whom? (type to filter, or a name)
call-still-open = The call is still open: { $key } saves and ends it.
call-timer = call { $time }
draft-recovered = The call you were typing is back, as you left it.

## Unlock, lock, quit
unlock-title = Who is working?
unlock-wrong-passphrase = Wrong passphrase for { $operator }. Try again; if it is forgotten, the office lead can add you again.
unlock-opening = Opening the store...
unlock-wait = Wait { $seconds } s before trying again.
unlock-wipe-confirm = { $key } again destroys every operator's key: only central's recovery identity will open this store. Any other key cancels.
locked = Locked. Type your passphrase to continue where you were.
quit-question = A call is being typed; its draft is kept and comes back next time. Quit? Enter: quit. Esc: stay.
too-small = The terminal is too small ({ $width }x{ $height }); linea needs at least { $min_width }x{ $min_height }. Enlarge it, or press F10 to quit.
demo-hint = Demo office: every operator's passphrase is "{ $passphrase }".

## Other linea on the same store
wait-key-change = Waiting for another linea to finish changing this store's keys...
wait-writer = Waiting for another linea to finish writing to the store...
wait-in-use = Waiting for another linea on this store (a desk or a command) to let it go, to change its keys...
operator-removed = { $operator } has been removed from this store by the office lead, so the screen is locked. The draft saved a moment before is kept (the last keys typed may be missing): it comes back if the lead adds { $operator } again.
store-moved = Not saved: the store folder is gone or was replaced. Put it back, save again.
store-disk-full = Not saved: the disk is full. Free some space, then save again.
store-read-only = Not saved: linea may not write in the store folder. Make it writable.
store-busy = Not saved: another linea kept the store busy too long. Save again.

## Help
help-intro = Keys of this screen and global ones, from the active keymap:
help-text-keys = In text fields, typing writes; Left, Right, Home, End, Backspace and Delete edit. In notes, Enter starts a new line and Up/Down move between lines; Tab leaves.

## Keymap problems at start
keymap-problems = The keymap file has problems:
keymap-problems-choice = Enter: continue with the default keymap. F10: quit and fix the file.

## First run
setup-title = There is no linea store here yet.
setup-from-kit = Set up this office from central's kit
setup-demo = Open the demo (synthetic data, in a temporary folder)
setup-kit-intro = Give the kit file central sent, your name and a passphrase (at least 10 characters).
setup-kit-office = Office: { $office }
setup-fingerprint = Central's fingerprint: { $fingerprint }
setup-fingerprint-type = Type the fingerprint central reads out to you by phone, then Enter. If it is not taken, stop: the kit is not from your central.
setup-passphrase-short = The passphrase is too short: use at least 10 characters.
setup-passphrase-differ = The two passphrases differ.
setup-working = Working... this takes a few seconds.
setup-done = Office set up. Take { $file } to central to register it.
setup-fingerprint-wrong = That is not this kit's fingerprint: the kit is not from your central. Do not use it; call central.
setup-done-office = Office { $office } is set up.
setup-office-fingerprint = Your office key's fingerprint: { $fingerprint }
setup-office-fingerprint-read = Read it out to central on this call: central types it to register your office. Then take { $file } to central. Enter opens the office.

## Refused records
error-missing = { $field } is needed before saving.
error-unknown-code = { $field }: "{ $detail }" is not in the list; choose from it.
error-personal-data = { $field }: a non-substantive call keeps no personal data; clear it.
error-future = { $field } is in the future; check the computer's clock.
error-before-call = { $field } is before the call started.
error-invalid = { $field } is not valid: { $detail }
template-title = Call templates (number, then Enter; Esc: blank form)
template-saved-at-once = { $template } (saved at once)
template-saved = { $template }: saved.
help-templates = Call templates ({ $key }, then the number and Enter):
home-templates = { $key }: templates (silent, hang-up, prank, wrong number, information…)

action-emergency-checklist = Checklist
action-emergency-checklist-help = During a U1 call: tick what was made sure of (location, danger now, safe to talk, minors present), saved with the call
emergency-checklist = Made sure of
check-LOCATION = Location
check-DANGER_NOW = Danger now
check-SAFE_TO_TALK = Safe to talk
check-MINORS_PRESENT = Minors present
