//! Makes `tests/vectors/`: batches, receipts, packs, kits and enrollment files that linea must
//! take (`valid_*`), pass over (`skip_*`: meant for someone else) or refuse
//! (`fail_<rule>_<what>`, the rule as linea prints it, spaces written `-`). The tests read them
//! (`tests/vectors.rs`), so a change of format made on both sides at once, writer and reader,
//! cannot pass unnoticed: the committed files were made by the old writer.
//!
//! The valid files come from linea's own code paths on a demo central and office (enroll,
//! init, register, an office sync, central's sync, one more call and office sync); the
//! others are those files altered, signed again with the demo's keys where a change must get
//! past the signature to reach its rule.
//! The keys the tests need to open them (never used anywhere else) go in `keys/`.
//!
//! Run it only after a deliberate change of format, from the crate root, and commit the result:
//!
//! ```text
//! cargo run --example gen-vectors
//! ```

use std::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use linea::central::registry::names as central_names;
use linea::central::sync::central_sync;
use linea::exchange::batch::{self, Manifest};
use linea::exchange::enrollment::{
    ENROLLMENT_KIND, Enrollment, KIT_KIND, OfficeKit, names as office_names,
};
use linea::exchange::mail;
use linea::exchange::signed;
use linea::exchange::stick::Stick;
use linea::exchange::sync::office_sync;
use linea::keys::{AgeIdentity, Passphrase, SigningKey};
use linea::store::{CentralStore, Store};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const OUT: &str = "tests/vectors";

fn main() -> Result<()> {
    let work = tempfile::tempdir()?;
    let demo = Demo::make(work.path())?;
    let out = Path::new(OUT);
    for folder in [
        "batches",
        "receipts",
        "packs",
        "kits",
        "enrollments",
        "keys",
    ] {
        let dir = out.join(folder);
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
    }
    demo.write_keys(&out.join("keys"))?;
    batches(&demo, &out.join("batches"))?;
    mail_files(&demo, &out.join("receipts"), &demo.receipt, "receipt")?;
    mail_files(&demo, &out.join("packs"), &demo.pack, "pack")?;
    kits(&demo, &out.join("kits"))?;
    enrollments(&demo, &out.join("enrollments"))?;
    println!("wrote {OUT}/");
    Ok(())
}

/// A demo central and office after one round trip, and the files and keys it left; and the
/// office's second batch, made after one more call.
struct Demo {
    batch: Vec<u8>,
    second_batch: Vec<u8>,
    receipt: Vec<u8>,
    pack: Vec<u8>,
    kit: Vec<u8>,
    enrollment: Vec<u8>,
    import: AgeIdentity,
    office_exchange: AgeIdentity,
    central_signing: SigningKey,
    office_signing: SigningKey,
}

impl Demo {
    fn make(dir: &Path) -> Result<Demo> {
        let demo = linea::demo::create(&dir.join("demo"), 3, 1, 1)?;
        let mut office = demo.office;
        let passphrase = Passphrase::new(linea::demo::PASSPHRASE.into());
        let mut central =
            CentralStore::open(&demo.central_dir, linea::demo::CENTRAL_LEAD, &passphrase)?;
        let stick_dir = dir.join("stick");
        office_sync(&mut office, &stick_dir)?;
        central_sync(&mut central, &stick_dir)?;
        let stick = Stick::at(&stick_dir);
        let only = |files: Vec<PathBuf>, prefix: &str| -> Result<Vec<u8>> {
            let name = |f: &PathBuf| {
                f.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let found: Vec<&PathBuf> = files
                .iter()
                .filter(|f| name(f).starts_with(prefix))
                .collect();
            match found.as_slice() {
                [one] => Ok(fs::read(one)?),
                other => Err(format!("{} files named {prefix}… on the stick", other.len()).into()),
            }
        };
        let identity = |store: &Store, name: &str| -> Result<AgeIdentity> {
            let text = store.secret(name)?;
            AgeIdentity::from_file_text(std::str::from_utf8(&text)?)
                .ok_or_else(|| format!("the secret {name} is no age identity").into())
        };
        let batch = only(stick.batches()?, "b-")?;
        let receipt = only(stick.mail()?, "r-")?;
        let pack = only(stick.mail()?, "p-")?;
        // The office applies the receipt, so batch 1 leaves the stick and batch 2 is alone.
        linea::demo::fill(&mut office, 1, 2)?;
        office_sync(&mut office, &stick_dir)?;
        Ok(Demo {
            batch,
            second_batch: only(stick.batches()?, "b-")?,
            receipt,
            pack,
            kit: fs::read(dir.join("demo").join("office-kit.json"))?,
            enrollment: fs::read(dir.join("demo").join("office-enrollment.json"))?,
            import: identity(&central, central_names::IMPORT_IDENTITY)?,
            office_exchange: identity(&office, office_names::OFFICE_EXCHANGE_IDENTITY)?,
            central_signing: SigningKey::from_secret_bytes(
                &central.secret(central_names::SIGNING_KEY)?,
            )?,
            office_signing: SigningKey::from_secret_bytes(
                &office.secret(office_names::OFFICE_SIGNING_KEY)?,
            )?,
        })
    }

    /// What the tests need to open the files: the two age identities that read them, and the
    /// two public keys that sign them. Made for these files only.
    fn write_keys(&self, dir: &Path) -> Result<()> {
        let note = "linea test vectors only: opens nothing but tests/vectors";
        fs::write(
            dir.join("central-import.txt"),
            &*self.import.to_file_text(&[note]),
        )?;
        fs::write(
            dir.join("office-exchange.txt"),
            &*self.office_exchange.to_file_text(&[note]),
        )?;
        fs::write(
            dir.join("central-signing.pub"),
            format!("{}\n", self.central_signing.public().as_base64()),
        )?;
        fs::write(
            dir.join("office-signing.pub"),
            format!("{}\n", self.office_signing.public().as_base64()),
        )?;
        Ok(())
    }

    fn central(&self) -> String {
        self.import.recipient()
    }
}

/// A batch's inner payload taken apart: its manifest, signature and record lines.
struct Inner {
    manifest: Manifest,
    signature: String,
    records: Vec<String>,
}

impl Inner {
    fn of(demo: &Demo) -> Result<Inner> {
        let inner = String::from_utf8(batch::open(&demo.batch, &demo.import)?)?;
        let lines: Vec<&str> = inner.lines().collect();
        let Some([magic, manifest, signature @ ..]) = lines.get(..6) else {
            return Err("the demo's batch is shorter than its header".into());
        };
        if *magic != batch::MAGIC {
            return Err("the demo's batch has another magic".into());
        }
        Ok(Inner {
            manifest: serde_json::from_str(manifest)?,
            signature: signature.iter().map(|l| format!("{l}\n")).collect(),
            records: lines[6..].iter().map(|l| l.to_string()).collect(),
        })
    }

    /// Signed anew by `key` with the trusted comment linea writes.
    fn signed(manifest: &Manifest, records: &[String], key: &SigningKey) -> Result<Vec<u8>> {
        Ok(batch::build_payload(manifest, records, key)?.0)
    }

    /// Put together as given: magic, manifest line, signature, records.
    fn assembled(manifest_line: &str, signature: &str, records: &[String]) -> Vec<u8> {
        let mut payload = format!("{}\n{manifest_line}\n{signature}", batch::MAGIC);
        for record in records {
            payload.push_str(record);
            payload.push('\n');
        }
        payload.into_bytes()
    }

    /// What the signature covers, for signing it with a trusted comment of one's own.
    fn signed_bytes(manifest_line: &str, records: &[String]) -> Vec<u8> {
        Inner::assembled(manifest_line, "", records)
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    fs::write(dir.join(name), bytes)?;
    Ok(())
}

fn batches(demo: &Demo, dir: &Path) -> Result<()> {
    let inner = Inner::of(demo)?;
    let key = &demo.office_signing;
    let central = [demo.central()];
    let seal = |payload: &[u8]| batch::seal(payload, &central);
    let manifest_line = serde_json::to_string(&inner.manifest)?;
    let good = Inner::signed(&inner.manifest, &inner.records, key)?;

    write(dir, "valid_first-batch.age", &demo.batch)?;
    write(dir, "valid_second-batch.age", &demo.second_batch)?;
    write(
        dir,
        "valid_with-backup-recipient.age",
        &batch::seal(
            &good,
            &[demo.central(), AgeIdentity::generate().recipient()],
        )?,
    )?;
    let strangers: Vec<String> = std::iter::once(demo.central())
        .chain((0..4).map(|_| AgeIdentity::generate().recipient()))
        .collect();
    write(
        dir,
        "fail_header_too-many-recipient-stanzas.age",
        &batch::seal(&good, &strangers)?,
    )?;
    write(dir, "fail_format_not-an-age-file.age", b"linea-batch/1\n")?;
    write(
        dir,
        "fail_integrity_cut-short.age",
        &demo.batch[..demo.batch.len() - 100],
    )?;
    write(
        dir,
        "fail_recipient_sealed-to-another-central.age",
        &batch::seal(&good, &[AgeIdentity::generate().recipient()])?,
    )?;
    write(
        dir,
        "fail_format_frame-of-another-version.age",
        &age_encrypt(b"linea-batch/9 3\nabc", &central)?,
    )?;
    let mut wrong_magic = good.clone();
    wrong_magic[..batch::MAGIC.len()].copy_from_slice(b"linea-batch/9");
    write(dir, "fail_format_wrong-magic.age", &seal(&wrong_magic)?)?;
    write(
        dir,
        "fail_manifest_malformed.age",
        &seal(&Inner::assembled(
            "{\"format\":1}",
            &inner.signature,
            &inner.records,
        ))?,
    )?;
    write(
        dir,
        "fail_signature_unsigned.age",
        &seal(&Inner::assembled(&manifest_line, "", &inner.records))?,
    )?;
    let mut altered = inner.records.clone();
    altered[0].push(' ');
    write(
        dir,
        "fail_signature_record-altered-after-signing.age",
        &seal(&Inner::assembled(
            &manifest_line,
            &inner.signature,
            &altered,
        ))?,
    )?;
    write(
        dir,
        "fail_signature_signed-by-another-key.age",
        &seal(&Inner::signed(
            &inner.manifest,
            &inner.records,
            &SigningKey::generate()?,
        )?)?,
    )?;
    let forged_comment = key.sign(
        &Inner::signed_bytes(&manifest_line, &inner.records),
        "linea batch office=pe-lima seq=1",
    )?;
    write(
        dir,
        "fail_trusted-comment_not-the-manifests.age",
        &seal(&Inner::assembled(
            &manifest_line,
            &forged_comment,
            &inner.records,
        ))?,
    )?;
    let mut other_central = inner.manifest.clone();
    other_central.recipient = batch::recipient_fingerprint(&AgeIdentity::generate().recipient());
    write(
        dir,
        "fail_recipient_made-for-another-central.age",
        &seal(&Inner::signed(&other_central, &inner.records, key)?)?,
    )?;
    let mut wrong_hash = inner.manifest.clone();
    wrong_hash.records[0].hash = Some("0".repeat(64));
    write(
        dir,
        "fail_record-hash_not-its-manifest-line.age",
        &seal(&Inner::signed(&wrong_hash, &inner.records, key)?)?,
    )?;
    let mut foreign = inner.records.clone();
    foreign[0] = foreign[0].replacen("\"office_id\":\"pe-lima\"", "\"office_id\":\"pe-cusco\"", 1);
    if foreign[0] == inner.records[0] {
        return Err("the demo's first record names no office pe-lima".into());
    }
    let mut foreign_manifest = inner.manifest.clone();
    foreign_manifest.records[0].hash = Some(batch::sha256_hex(foreign[0].as_bytes()));
    write(
        dir,
        "fail_record_of-another-office.age",
        &seal(&Inner::signed(&foreign_manifest, &foreign, key)?)?,
    )?;
    let mut miscounted = inner.manifest.clone();
    miscounted.record_count += 1;
    write(
        dir,
        "fail_limits_record-count-not-the-list.age",
        &seal(&Inner::signed(&miscounted, &inner.records, key)?)?,
    )?;
    Ok(())
}

/// Receipts or packs: the demo's own file, and that file spoiled.
fn mail_files(demo: &Demo, dir: &Path, file: &[u8], kind: &str) -> Result<()> {
    let office = [demo.office_exchange.recipient()];
    let plaintext = age_decrypt(file, &demo.office_exchange)?;
    let opened = mail::open(file, &demo.office_exchange, demo.central_signing.public())?
        .ok_or("the demo's mail is not for its office")?;
    write(dir, &format!("valid_{kind}.age"), file)?;
    write(
        dir,
        &format!("skip_{kind}-for-another-office.age"),
        &age_encrypt(&plaintext, &[AgeIdentity::generate().recipient()])?,
    )?;
    write(
        dir,
        "fail_signature_signed-by-another-central.age",
        &mail::seal(&opened, &SigningKey::generate()?, &office[0])?,
    )?;
    let text = String::from_utf8(plaintext.clone())?;
    let altered = text.replacen("pe-lima", "pe-limb", 1);
    if altered == text {
        return Err("the demo's mail names no office pe-lima".into());
    }
    write(
        dir,
        "fail_signature_altered-after-signing.age",
        &age_encrypt(altered.as_bytes(), &office)?,
    )?;
    let header = format!("linea-{kind}/1\n");
    let body = text
        .strip_prefix(&header)
        .ok_or("the demo's mail has another header")?;
    write(
        dir,
        "fail_format_neither-receipt-nor-pack.age",
        &age_encrypt(format!("linea-note/1\n{body}").as_bytes(), &office)?,
    )?;
    let crowd: Vec<String> = std::iter::once(office[0].clone())
        .chain((0..4).map(|_| AgeIdentity::generate().recipient()))
        .collect();
    write(
        dir,
        "fail_header_too-many-recipient-stanzas.age",
        &age_encrypt(&plaintext, &crowd)?,
    )?;
    write(
        dir,
        "fail_integrity_cut-short.age",
        &file[..file.len() - 40],
    )?;
    Ok(())
}

fn kits(demo: &Demo, dir: &Path) -> Result<()> {
    let kit = OfficeKit::from_bytes(&demo.kit)?;
    let key = &demo.central_signing;
    write(dir, "valid_kit.json", &demo.kit)?;
    let text = String::from_utf8(demo.kit.clone())?;
    write(
        dir,
        "fail_signature_office-name-altered.json",
        text.replacen("Oficina Lima", "Oficina Lima falsa", 1)
            .as_bytes(),
    )?;
    write(
        dir,
        "fail_format_unknown-format.json",
        text.replacen("linea-signed/1", "linea-signed/9", 1)
            .as_bytes(),
    )?;
    write(dir, "fail_format_an-enrollment-file.json", &demo.enrollment)?;
    write(dir, "fail_format_not-json.json", b"office-kit pe-lima\n")?;
    let mut no_key = kit.clone();
    no_key.central_signing_key = "not a minisign key".into();
    write(
        dir,
        "fail_signer_carries-no-key.json",
        &signed::seal(KIT_KIND, &no_key, key)?,
    )?;
    let mut bad_id = kit.clone();
    bad_id.office_id = "PE LIMA".into();
    write(
        dir,
        "fail_content_invalid-office-id.json",
        &signed::seal(KIT_KIND, &bad_id, key)?,
    )?;
    let mut bad_recipient = kit;
    bad_recipient.import_recipient = "age1notarecipient".into();
    write(
        dir,
        "fail_content_import-key-not-a-recipient.json",
        &signed::seal(KIT_KIND, &bad_recipient, key)?,
    )?;
    Ok(())
}

fn enrollments(demo: &Demo, dir: &Path) -> Result<()> {
    let enrollment = Enrollment::from_bytes(&demo.enrollment)?;
    let key = &demo.office_signing;
    write(dir, "valid_enrollment.json", &demo.enrollment)?;
    let text = String::from_utf8(demo.enrollment.clone())?;
    write(
        dir,
        "fail_signature_office-id-altered.json",
        text.replacen("pe-lima", "pe-limb", 1).as_bytes(),
    )?;
    write(dir, "fail_format_a-kit.json", &demo.kit)?;
    let mut bad_recipient = enrollment.clone();
    bad_recipient.office_recipient = "age1notarecipient".into();
    write(
        dir,
        "fail_content_not-a-recipient.json",
        &signed::seal(ENROLLMENT_KIND, &bad_recipient, key)?,
    )?;
    let mut other_key = enrollment;
    other_key.office_signing_key = SigningKey::generate()?.public().as_base64().to_owned();
    write(
        dir,
        "fail_signature_signed-by-another-key.json",
        &signed::seal(ENROLLMENT_KIND, &other_key, key)?,
    )?;
    Ok(())
}

fn age_encrypt(plaintext: &[u8], recipients: &[String]) -> Result<Vec<u8>> {
    let parsed = recipients
        .iter()
        .map(|r| age::x25519::Recipient::from_str(r))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let encryptor =
        age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out)?;
    writer.write_all(plaintext)?;
    writer.finish()?;
    Ok(out)
}

fn age_decrypt(file: &[u8], identity: &AgeIdentity) -> Result<Vec<u8>> {
    let text = identity.to_file_text(&[]);
    let secret = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .ok_or("no secret key line")?;
    let age_identity = age::x25519::Identity::from_str(secret)?;
    Ok(age::decrypt(&age_identity, file)?)
}
