//! Batches are bounded by bytes as well as records: many large records (notes up to 20,000
//! characters) leave the office as several batches, each one central accepts, instead of one
//! that is over the file cap or central refuses at every sync.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use linea::central::sync::central_sync;
use linea::demo::SyntheticCalls;
use linea::exchange::batch::{self, MAX_BATCH_BYTES, MAX_FILE, MAX_RECORDS};
use linea::exchange::stick::Stick;
use linea::exchange::sync::{OfficeSync, Phase, office_sync};
use linea::keys::Passphrase;
use linea::model::validate::MAX_NOTES;
use linea::model::{CallFields, CaseFields, Record};
use linea::store::{CallFilter, CentralStore, OfficeStore, ReadAhead, StoreError};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// scrypt at 2^4: key slots are opened often here, and their strength is not under test.
const FAST_WORK_FACTOR: u8 = 4;

/// A demo central and an office with no calls yet; returns the office store.
fn demo(dir: &Path) -> OfficeStore {
    linea::demo::create(&dir.join("demo"), 0, 7, FAST_WORK_FACTOR)
        .expect("demo")
        .office
}

fn central(dir: &Path) -> CentralStore {
    CentralStore::open(
        &dir.join("demo").join("central"),
        linea::demo::CENTRAL_LEAD,
        &Passphrase::new(linea::demo::PASSPHRASE.into()),
    )
    .expect("open central")
}

/// `count` synthetic calls whose notes are as long as notes may be: every other one random
/// characters from a 4-byte UTF-8 block (zstd can do little with them, so the sealed file is
/// large), the rest one sentence repeated (tiny once compressed, large once decompressed:
/// central's decompression cap is the limit there).
fn large_calls(count: u32) -> Vec<CallFields> {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let sentence: Vec<char> = "Vio a dos menores en el bar de la carretera. "
        .chars()
        .collect();
    SyntheticCalls::new(count, 3)
        .next_chunk(count as usize)
        .into_iter()
        .enumerate()
        .map(|(n, mut call)| {
            call.notes = if n % 2 == 0 {
                (0..MAX_NOTES)
                    .map(|_| char::from_u32(rng.random_range(0x2_0000..0x2_A6E0)).unwrap_or('x'))
                    .collect()
            } else {
                sentence.iter().cycle().take(MAX_NOTES).collect()
            };
            call
        })
        .collect()
}

#[test]
fn many_large_records_go_out_in_several_batches_that_central_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = demo(dir.path());
    let count = 700;
    office.add_calls(large_calls(count)).expect("add calls");

    let stick = dir.path().join("stick");
    let sent = office_sync(&mut office, &stick).expect("office sync");
    assert!(
        sent.batches_made.len() >= 3,
        "{count} large calls are more than one batch may weigh: {sent:?}"
    );
    let outbox = office.outbox(false).unwrap();
    assert_eq!(
        outbox.iter().map(|b| b.record_count).sum::<u64>(),
        u64::from(count),
        "every call goes out once"
    );
    // The outbox keeps payloads compressed; the cut is by what they weigh unpacked.
    let unpacked: Vec<usize> = outbox
        .iter()
        .map(|made| zstd::decode_all(&made.payload[..]).unwrap().len())
        .collect();
    for (made, size) in outbox.iter().zip(&unpacked) {
        assert!(made.record_count < MAX_RECORDS as u64);
        // The records weigh at most MAX_BATCH_BYTES; the magic, manifest header and
        // signature come on top.
        assert!(
            *size <= MAX_BATCH_BYTES + 4096,
            "batch {} is {size} bytes",
            made.seq
        );
    }
    // Cut by weight, not sparsely: all but the last batch are nearly full.
    for (made, size) in outbox.iter().zip(&unpacked).take(outbox.len() - 1) {
        assert!(*size > MAX_BATCH_BYTES * 9 / 10, "batch {}", made.seq);
    }
    let files = Stick::at(&stick).batches().unwrap();
    assert_eq!(files.len(), outbox.len());
    for file in &files {
        assert!(fs::metadata(file).unwrap().len() <= MAX_FILE);
    }

    let mut central = central(dir.path());
    let imported = central_sync(&mut central, &stick).expect("central sync");
    assert!(
        imported.refused.is_empty(),
        "central refused: {:?}",
        imported.refused
    );
    assert_eq!(imported.imported.len(), outbox.len());
    assert_eq!(
        imported.imported.iter().map(|r| r.new).sum::<usize>(),
        count as usize
    );
    // Read in the stick's (random) order, some arrive before the one before them; in the
    // end none is missing and they chain.
    let numbers: Vec<u64> = central
        .imported_batches(linea::demo::OFFICE_ID)
        .unwrap()
        .iter()
        .map(|b| b.seq)
        .collect();
    assert_eq!(numbers, (1..=outbox.len() as u64).collect::<Vec<_>>());

    // The receipt covers them all, and nothing is left to send.
    let back = office_sync(&mut office, &stick).expect("second office sync");
    assert_eq!(back.receipts_applied.len(), 1, "{back:?}");
    assert!(back.batches_made.is_empty());
    assert_eq!(back.waiting, 0);
}

/// What the test's batches carry of a record: its kind and id, and its weight as the
/// exchange counts it.
fn weigh(record: Record) -> Result<((String, String), usize), StoreError> {
    let line = batch::record_line(&record).map_err(|e| StoreError::Damaged(e.to_string()))?;
    let weight = batch::record_weight(&line);
    Ok((
        (record.kind().to_owned(), record.meta().id.to_string()),
        weight,
    ))
}

#[test]
fn the_cut_keeps_each_batch_within_its_weight_and_is_the_same_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = demo(dir.path());
    let mut calls = large_calls(4);
    calls.extend(SyntheticCalls::new(40, 5).next_chunk(40));
    office.add_calls(calls).expect("add calls");
    let crash = || Err(StoreError::Damaged("crash before the commit".into()));

    // A pass with no weight limit that crashes before its commit: it is given every record
    // (weighed here), and leaves nothing behind.
    let mut weights = HashMap::new();
    let crashed = office.make_batch(
        MAX_RECORDS,
        usize::MAX,
        |record| {
            let (item, weight) = weigh(record)?;
            weights.insert(item.clone(), weight);
            Ok((item, weight))
        },
        |_, _, _| crash(),
    );
    assert!(crashed.is_err());
    assert!(office.outbox(false).unwrap().is_empty());
    assert_eq!(weights.len(), 44);
    // A budget under the heaviest record: that one still goes, alone.
    let budget = weights.values().max().unwrap() - 1;

    // The first cut, crashed before its commit...
    let mut first_cut = Vec::new();
    let crashed = office.make_batch(MAX_RECORDS, budget, weigh, |_, start, items| {
        assert_eq!(start.seq, 1);
        first_cut = items;
        crash()
    });
    assert!(crashed.is_err());

    // ...and every batch made after it.
    let mut batches: Vec<Vec<(String, String)>> = Vec::new();
    loop {
        let mut taken = Vec::new();
        let made = office
            .make_batch(MAX_RECORDS, budget, weigh, |_, start, items| {
                taken = items;
                Ok((vec![0], format!("manifest-{}", start.seq)))
            })
            .unwrap();
        if made.is_none() {
            break;
        }
        batches.push(taken);
    }
    assert_eq!(
        batches[0], first_cut,
        "the same store state cuts the same batch"
    );
    assert!(batches.len() >= 3, "{} batches", batches.len());
    let mut sent: Vec<&(String, String)> = batches.iter().flatten().collect();
    sent.sort();
    sent.dedup();
    assert_eq!(sent.len(), 44, "every record goes once");
    let mut alone = 0;
    for items in &batches {
        let weight: usize = items.iter().map(|item| weights[item]).sum();
        if weight > budget {
            assert_eq!(
                items.len(),
                1,
                "{} records weigh {weight}, over {budget}",
                items.len()
            );
            alone += 1;
        }
    }
    assert!(alone >= 1, "the heaviest record went in a batch of its own");
    // Small records fill batches up to the budget: the 40 ordinary calls do not go one by one.
    assert!(batches.len() < 20, "{} batches", batches.len());
}

#[test]
fn a_record_goes_with_what_it_names_so_central_never_gets_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = demo(dir.path());
    // A call, others after it, then a case opened from the first call: the call's current
    // version names the case, whose first change comes after the other calls.
    let mut calls = SyntheticCalls::new(6, 9).next_chunk(6).into_iter();
    let first = office.add_calls(calls.by_ref().take(1).collect()).unwrap();
    office.add_calls(calls.collect()).unwrap();
    let case = office
        .add_case(CaseFields {
            title: "Caso".into(),
            opened_from_call: Some(first[0].meta.id),
            ..CaseFields::default()
        })
        .unwrap();

    // Two records a batch: the cut falls right after the first call's change.
    let mut batches: Vec<Vec<(Uuid, Vec<Uuid>)>> = Vec::new();
    loop {
        let mut taken = Vec::new();
        let made = office
            .make_batch(
                2,
                usize::MAX,
                |record| {
                    let named = record.references().into_iter().map(|(_, id)| id).collect();
                    Ok(((record.meta().id, named), 1))
                },
                |_, start, items| {
                    taken = items;
                    Ok((vec![0], format!("manifest-{}", start.seq)))
                },
            )
            .unwrap();
        if made.is_none() {
            break;
        }
        batches.push(taken);
    }
    let first_batch: Vec<Uuid> = batches[0].iter().map(|(id, _)| *id).collect();
    assert_eq!(
        first_batch,
        [case.meta.id, first[0].meta.id],
        "the case goes with the call that names it, and before it"
    );
    // Generally: whatever a record names is in its batch or an earlier one.
    let mut sent = std::collections::HashSet::new();
    for batch in &batches {
        sent.extend(batch.iter().map(|(id, _)| *id));
        for (id, named) in batch {
            assert!(
                named.iter().all(|n| sent.contains(n)),
                "{id} arrives before what it names"
            );
        }
        assert!(batch.len() <= 2);
    }
}

/// An office's first export reads its tables as they stand when it starts; what the desk
/// writes while its batches are being made (a case opened from a call already sent, one
/// from a call not read yet, a new call) still reaches central, and central never gets a
/// record before one it names.
#[test]
fn what_is_written_during_a_first_export_of_several_batches_reaches_central() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = demo(dir.path());
    let calls = office.add_calls(large_calls(700)).expect("add calls");
    let (first, last) = (calls[0].meta.id, calls[calls.len() - 1].meta.id);

    let stick = dir.path().join("stick");
    let mut sync = OfficeSync::start(&stick).expect("start");
    // Central's mail, then the first batch.
    sync.step(&mut office).expect("mail");
    assert_eq!(sync.step(&mut office).expect("batch"), Phase::MakingBatches);
    assert_eq!(sync.report().batches_made, [1]);

    let mut cases = Vec::new();
    for call in [first, last] {
        let case = office
            .add_case(CaseFields {
                title: "Caso".into(),
                opened_from_call: Some(call),
                ..CaseFields::default()
            })
            .unwrap();
        cases.push(case.meta.id);
    }
    let added = office
        .add_calls(SyntheticCalls::new(1, 21).next_chunk(1))
        .unwrap();
    while sync.step(&mut office).expect("sync") != Phase::Done {}
    assert!(sync.report().batches_made.len() >= 3, "{:?}", sync.report());

    let mut central = central(dir.path());
    let imported = central_sync(&mut central, &stick).expect("central sync");
    assert!(imported.refused.is_empty(), "{:?}", imported.refused);
    for call in [first, last] {
        let at_central = central.call(call).expect("the call at central");
        let at_office = office.call(call).unwrap();
        assert_eq!(at_central.meta.version, at_office.meta.version);
        assert!(
            at_central.fields.case_id.is_some(),
            "the call names its case"
        );
    }
    for case in cases {
        central.case(case).expect("the case at central");
    }
    central
        .call(added[0].meta.id)
        .expect("the new call at central");
    // Central's search finds what it imported (indexed a batch at a time).
    let (found, _) = central
        .search_calls("carretera", &CallFilter::default(), None, 400)
        .unwrap();
    assert_eq!(found.len(), 350, "every other large call says 'carretera'");
}

/// The sync reads a batch's records while the one before is signed and compressed: what is
/// written to the store in between is not sent as it was read, but as it now is.
#[test]
fn a_record_changed_between_two_batches_goes_as_it_now_is_not_as_it_was_read_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = demo(dir.path());
    let calls = office
        .add_calls(SyntheticCalls::new(40, 5).next_chunk(40))
        .expect("add calls");
    let mut ahead = ReadAhead::new();
    let mut batches: Vec<Vec<(Uuid, u32)>> = Vec::new();
    let mut edited = None;
    loop {
        let mut taken = Vec::new();
        let made = office
            .make_batch_ahead(
                &mut ahead,
                10,
                usize::MAX,
                |record| Ok(((record.meta().id, record.meta().version), 1)),
                |_, start, items| {
                    taken = items;
                    let hash = format!("manifest-{}", start.seq);
                    Ok(move || Ok((vec![0], hash)))
                },
            )
            .unwrap();
        if made.is_none() {
            break;
        }
        batches.push(taken);
        if edited.is_none() {
            // The next batch was read ahead with this call in it, at its first version.
            let call = calls
                .iter()
                .find(|c| !batches[0].iter().any(|(id, _)| *id == c.meta.id))
                .expect("a call the first batch left");
            let mut fields = call.fields.clone();
            fields.notes.push_str(" Llamó de nuevo.");
            office.update_call(call.meta.id, fields, 1).unwrap();
            edited = Some(call.meta.id);
        }
    }
    let edited = edited.expect("a call edited");
    let sent: Vec<u32> = batches
        .iter()
        .flatten()
        .filter(|(id, _)| *id == edited)
        .map(|(_, version)| *version)
        .collect();
    assert!(!sent.is_empty(), "the edited call was sent");
    assert!(sent.iter().all(|v| *v == 2), "sent at versions {sent:?}");
    assert!(batches.iter().all(|b| b.len() <= 10));
    let mut ids: Vec<Uuid> = batches.iter().flatten().map(|(id, _)| *id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "every call goes");
}

/// Every line of a first export is the line of the record as the store reads it one by one
/// (`OfficeStore::record`), byte for byte: the table scan, its second thread and its chunks
/// only change how lines are made. Central tells an unchanged record by the hash of its line.
/// A caller's number is the one thing a batch carries otherwise (its hashes, or the number
/// when a referral names the call), taken here from the line itself.
#[test]
fn every_line_of_a_first_export_is_the_record_line_of_what_the_store_holds() {
    let dir = tempfile::tempdir().unwrap();
    let demo =
        linea::demo::create(&dir.path().join("demo"), 600, 13, FAST_WORK_FACTOR).expect("demo");
    assert!(
        demo.cases > 0 && demo.referrals > 0,
        "cases and referrals to send"
    );
    let mut office = demo.office;
    let stick = dir.path().join("stick");
    let sent = office_sync(&mut office, &stick).expect("office sync");
    assert!(!sent.batches_made.is_empty());
    let mut kinds = HashMap::new();
    for made in office.outbox(false).unwrap() {
        let payload = zstd::decode_all(&made.payload[..]).unwrap();
        let text = String::from_utf8(payload).unwrap();
        // Magic, manifest and the signature's four lines come before the records.
        for line in text.lines().skip(6) {
            let sent: Record = serde_json::from_str(line).unwrap();
            let mut held = office.record(sent.kind(), sent.meta().id).unwrap();
            if let (Record::Call { fields: held, .. }, Record::Call { fields: sent, .. }) =
                (&mut held, &sent)
            {
                held.caller_phone.clone_from(&sent.caller_phone);
                held.caller_phone_hashes
                    .clone_from(&sent.caller_phone_hashes);
            }
            assert_eq!(line, batch::record_line(&held).unwrap());
            *kinds.entry(sent.kind()).or_insert(0) += 1;
        }
    }
    assert_eq!(kinds.get("call"), Some(&600), "{kinds:?}");
    assert!(
        kinds.contains_key("case") && kinds.contains_key("referral"),
        "{kinds:?}"
    );
}
