# linea: the USB exchange, retention warnings and central's screens (en).
action-sync = Sync
action-sync-help = Exchange with central through a USB stick: pick its folder, then read what was sent and what came back

## Screens
screen-sync = Sync
screen-central = Central
screen-central-referrals = Referrals

## Sync (F9)
sync-choose = Pick the USB stick's folder, or type it, then press Enter. linea only reads and writes the linea folder on the stick.
sync-no-media = No USB stick found in { $places }: plug one in, or type its folder below.
sync-no-media-here = This system does not report USB sticks: type the stick's folder below.
sync-folder = Folder
sync-from-offices = From the offices
sync-no-batches = No batch on the stick
sync-batch-again = Office { $office } batch { $seq }: imported before, nothing to do
sync-batch-imported = Office { $office } batch { $seq }: { $new } new, { $updated } updated, { $conflicts } conflicting
sync-to-offices = To the offices
sync-receipts-left = { $count ->
    [0] No receipt left
    [one] Receipt left for { $offices }
   *[other] Receipts left for { $offices }
}
sync-packs-left = { $count ->
    [0] No reference pack left
    [one] Reference pack left for { $offices }
   *[other] Reference packs left for { $offices }
}
sync-running = Syncing...
sync-phase-reading = Reading central's receipts and reference packs
sync-phase-making = Making batches of what changed
sync-phase-writing = Writing the batches to the stick and reading them back
sync-phase-retention = Purging what central has and the retention period lets go
sync-phase-done = Done
sync-done = Sync done. Eject the stick before pulling it out.
sync-failed = The sync stopped. What is listed here was done; the next sync goes on from there.
sync-from-central = From central
sync-receipts = Receipt { $versions } applied: central confirmed the batches it has
sync-packs = Reference pack { $versions } applied: directory, scripts and places updated
sync-outcomes = { $count ->
    [one] 1 referral outcome from central added to its history
   *[other] { $count } referral outcomes from central added to their history
}
sync-nothing-back = Nothing new from central
sync-to-central = To central
sync-batches-made = { $count ->
    [one] New batch no. { $numbers }
   *[other] { $count } new batches, nos. { $numbers }
}
sync-batches-written = { $count ->
    [one] Batch { $numbers } is on the stick for central; it stays until central's receipt comes back
   *[other] Batches { $numbers } are on the stick for central; they stay until central's receipt comes back
}
sync-nothing-waits = Nothing waits for central: every batch has its receipt
sync-purged = { $count ->
    [one] Retention: 1 closed case central has was purged here ({ $records ->
        [one] 1 record
       *[other] { $records } records
    }, older than { $days ->
        [one] 1 day
       *[other] { $days } days
    })
   *[other] Retention: { $count } closed cases central has were purged here ({ $records ->
        [one] 1 record
       *[other] { $records } records
    }, older than { $days ->
        [one] 1 day
       *[other] { $days } days
    })
}
sync-waiting-warning = A batch has waited { $days ->
    [one] 1 day
   *[other] { $days } days
} for central's receipt: take the stick to central.
sync-refused = { $count ->
    [one] 1 file on the stick was refused:
   *[other] { $count } files on the stick were refused:
}

sync-again = { $key }: sync again

## Home
home-last-receipt = { $days ->
    [0] Last receipt from central: today
    [one] Last receipt from central: 1 day ago
   *[other] Last receipt from central: { $days } days ago
}
home-no-receipt = No receipt from central yet
home-receipt-overdue = A batch has waited { $days ->
    [one] 1 day
   *[other] { $days } days
} for central's receipt: take a stick to central ({ $key })

## Central
central-read-only = Central reads what the offices recorded; calls, cases and referrals change at the office. On a referral, Enter records an outcome.
central-same-caller = { $count ->
    [one] Same number: 1 other call
   *[other] Same number: { $count } other calls
}
central-same-caller-more = … and { $count } more (linea central calls --same-caller)
calls-same-number = { $count } more
central-offices = { $count ->
    [one] 1 office, { $overdue } overdue
   *[other] { $count } offices, { $overdue } overdue
}
central-col-office = OFFICE
central-col-name = NAME
central-col-last = LAST
central-col-imported = IMPORTED
central-col-missing = MISSING
central-col-alerts = ALERTS
central-col-state = STATE
central-state-ok = ok
central-state-overdue = OVERDUE
central-state-unregistered = no key
central-state-check = check
central-state-revoked = REVOKED
central-no-offices = No office enrolled yet (linea central enroll)
central-alerts = { $count ->
    [one] 1 alert:
   *[other] { $count } alerts (the newest):
}
central-conflicts = { $count ->
    [one] 1 conflict kept apart (linea central conflicts)
   *[other] { $count } conflicts kept apart (linea central conflicts)
}
central-calls = { $count ->
    [one] 1 call imported from the offices
   *[other] { $count } calls imported from the offices
}
central-referrals-count = { $count ->
    [one] 1 referral imported, newest first
   *[other] { $count } referrals imported, newest first
}
central-outcomes = Outcomes recorded at central
central-no-outcomes = None yet: Enter records one, for the office's next pack
central-outcome-title = Outcome for the office (it goes with the office's next pack)
central-outcome-saved = Outcome recorded: it goes to the office with its next pack
