//! A batch: what an office sends central (EXCHANGE.md). An age v1 file to central's import
//! recipient, holding, once decrypted:
//!
//! ```text
//! linea-batch/1 LEN\n        the frame: LEN bytes of zstd follow, then zero padding
//! <zstd of the inner payload>
//! <zeros up to the frame's Padmé length: the file's size tells only its rough magnitude>
//! ```
//! and the inner payload:
//! ```text
//! linea-batch/1\n            magic and format version
//! {manifest}\n               one JSON line: office, sequence, chain, recipient, and each
//!                            record's id, kind and version (batches made before carried
//!                            each record's hash too: still checked when present)
//! untrusted comment: …       the office's minisign signature (4 lines) over magic, manifest
//! …                          and records; its trusted comment repeats the manifest's essentials
//! {record}\n…                one JSON line per record
//! ```
//! A batch is bounded (records, bytes, line length): large change sets travel as several
//! batches, so building and importing take the same memory whatever their total size.
//!
//! Records carry no hash of their own in new manifests: the signature covers every record
//! line, so a hash per line proved nothing more, and its 64 hex digits a record were the
//! least compressible bytes of a batch (3.3 MiB of 100,000 records).

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::age_header;
pub(crate) use super::rejection::reject;
pub use super::rejection::{Rejection, Rule};
use crate::keys::{AgeIdentity, PublicSigningKey, SigningKey};
use crate::model::Record;

pub const MAGIC: &str = "linea-batch/1";
/// Records in one batch at most; more changes make more batches.
pub const MAX_RECORDS: usize = 20_000;
/// A record's line at most (the longest notes are 20,000 characters).
pub const MAX_LINE: usize = 256 * 1024;
/// A record's entry in the manifest at most (`{"id":…,"kind":…,"version":…}` is about 80
/// bytes, 150 with the `hash` of batches made before).
const MANIFEST_ENTRY: usize = 256;
/// The manifest line at most: a line per record, and the header.
const MAX_MANIFEST: usize = MAX_RECORDS * MANIFEST_ENTRY + HEADER;
/// The inner payload apart from the records and their manifest entries, at most: the magic,
/// the manifest's own fields and the signature take under a kilobyte.
const HEADER: usize = 4096;
/// The inner payload at most, decompressed.
pub const MAX_PAYLOAD: usize = 128 * 1024 * 1024;
/// A batch file at most: refused before decrypting.
pub const MAX_FILE: u64 = 80 * 1024 * 1024;
/// What the records of one batch may weigh at most (see [`record_weight`]). The record cap
/// alone is not enough: 20,000 records with long notes would make a file over central's cap,
/// and sealing would fail at every sync, leaving the batch stuck in the outbox for ever. So
/// even records zstd cannot shrink seal under [`MAX_FILE`], and decompress to an eighth of
/// what central accepts. Ordinary records (the demo's average 850 bytes) make batches of
/// about 17,000, which compress to under 4 MiB; building or importing one takes about
/// 100 MiB (BENCHMARKS.md).
pub const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;

/// The length a frame of `len` bytes is padded to: Padmé (Nikitin et al., "Reducing Metadata
/// Leakage from Encrypted Files and Communication with PURBs", PETS 2019, section 4). Only
/// the top bits of the length are kept, as many as the bit length of its exponent: a padded
/// length reveals O(log log len) bits, and costs at most 12 % (under 2 % from a megabyte).
pub const fn padme(len: usize) -> usize {
    if len < 2 {
        return len;
    }
    let exponent = usize::BITS - 1 - len.leading_zeros();
    let exponent_bits = u32::BITS - exponent.leading_zeros();
    let mask = (1usize << (exponent - exponent_bits)) - 1;
    (len + mask) & !mask
}

/// zstd's bound on what `len` bytes compress to at worst (`ZSTD_COMPRESSBOUND`).
const fn compress_bound(len: usize) -> usize {
    let small = if len < 128 * 1024 {
        (128 * 1024 - len) >> 11
    } else {
        0
    };
    len + (len >> 8) + small
}

// The caps agree, checked when compiling: whatever the office cuts, central accepts.
const _: () = {
    // A record alone always fits: a batch is never cut inside a record.
    assert!(MAX_LINE + 1 + MANIFEST_ENTRY <= MAX_BATCH_BYTES);
    // A full batch, compressed at worst, framed and padded, stays under the cap central
    // checks before decrypting (age adds 16 bytes a 64 KiB chunk, and its header).
    assert!((padme(compress_bound(MAX_BATCH_BYTES + HEADER) + 64) as u64) + (1 << 20) <= MAX_FILE);
    // Decompressed, it is under central's cap, and so is its manifest line.
    assert!(MAX_BATCH_BYTES + HEADER <= MAX_PAYLOAD);
};

/// A record's line as it is hashed and sent: compact JSON, no newline.
pub fn record_line(record: &Record) -> Result<String, Rejection> {
    /// Room for most lines from the start (the demo's calls take 700 bytes): serde_json
    /// starts from 128 bytes and copies the line each time it doubles.
    const MOST_LINES: usize = 2048;
    let mut line = Vec::with_capacity(MOST_LINES);
    serde_json::to_writer(&mut line, record).map_err(|e| reject(Rule::Format, e.to_string()))?;
    // Shrunk in place: a batch keeps thousands of lines.
    line.shrink_to_fit();
    String::from_utf8(line).map_err(|e| reject(Rule::Format, e.to_string()))
}

/// What a record adds to a batch's inner payload, at most: its line, the newline, and its
/// manifest entry. Counted against [`MAX_BATCH_BYTES`].
pub fn record_weight(line: &str) -> usize {
    line.len() + 1 + MANIFEST_ENTRY
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    pub id: Uuid,
    pub kind: String,
    pub version: u32,
    /// The SHA-256 of the record's line, in batches made before the signature was taken as
    /// enough; checked when present, never written now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub office_id: String,
    pub office_key_id: String,
    /// Fingerprint of the recipient the batch was made for.
    pub recipient: String,
    pub seq: u64,
    /// The hash of the previous batch's manifest ("" for the first).
    pub prev_manifest: String,
    pub created_at: String,
    pub program: String,
    pub record_count: usize,
    /// The highest receipt version the office had applied.
    pub highest_receipt: u64,
    pub records: Vec<ManifestEntry>,
    /// Where the office's audit chain stood when the batch was made: central keeps it, and
    /// a chain that shrank or was rewritten raises an alert. Batches made before manifests
    /// carried it have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<AuditHead>,
    /// The entry of the office's audit chain where its previous batch's head stood, hashed
    /// as the chain holds it now: central sets it against that head, so a chain rewritten
    /// and then extended shows too. None in a first batch, and in batches made before
    /// manifests carried it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_prev: Option<AuditHead>,
}

/// A point of an audit chain: a number of entries, and the hash of the last of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    pub entries: u64,
    pub hash: String,
}

impl From<(u64, String)> for AuditHead {
    fn from((entries, hash): (u64, String)) -> AuditHead {
        AuditHead { entries, hash }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A short fingerprint of an age recipient, as manifests name it.
pub fn recipient_fingerprint(recipient: &str) -> String {
    sha256_hex(recipient.trim().as_bytes())[..32].to_owned()
}

/// The trusted comment: what `minisign -V` shows, and what central checks against the manifest.
pub fn trusted_comment(manifest: &Manifest, manifest_hash: &str) -> String {
    format!(
        "linea batch office={} seq={} recipient={} manifest={}",
        manifest.office_id, manifest.seq, manifest.recipient, manifest_hash
    )
}

/// Builds the signed inner payload; returns it and the manifest's hash.
pub fn build_payload(
    manifest: &Manifest,
    lines: &[String],
    key: &SigningKey,
) -> Result<(Vec<u8>, String), Rejection> {
    let signed = SignedPayload::sign(manifest, lines, key)?;
    let mut payload = Vec::new();
    signed
        .write_to(&mut payload)
        .map_err(|e| reject(Rule::Format, e.to_string()))?;
    Ok((payload, signed.manifest_hash))
}

/// Builds the signed inner payload compressed, as the office's outbox keeps it until
/// central's receipt and as it travels; returns it and the manifest's hash. The payload is
/// signed and compressed from the lines where they are, never copied whole.
pub fn build_compressed(
    manifest: &Manifest,
    lines: &[String],
    key: &SigningKey,
) -> Result<(Vec<u8>, String), Rejection> {
    let signed = SignedPayload::sign(manifest, lines, key)?;
    let compressed = zstd::Encoder::new(Vec::new(), LEVEL)
        .and_then(|mut encoder| {
            signed.write_to(&mut encoder)?;
            encoder.finish()
        })
        .map_err(|e| reject(Rule::Format, e.to_string()))?;
    Ok((compressed, signed.manifest_hash))
}

/// An inner payload in its pieces: magic and manifest line, the signature, the record lines.
struct SignedPayload<'a> {
    head: Vec<u8>,
    signature: String,
    lines: &'a [String],
    manifest_hash: String,
}

impl<'a> SignedPayload<'a> {
    /// Signs magic, manifest and records, in that order, each line ended by a newline.
    fn sign(
        manifest: &Manifest,
        lines: &'a [String],
        key: &SigningKey,
    ) -> Result<SignedPayload<'a>, Rejection> {
        let manifest_line =
            serde_json::to_string(manifest).map_err(|e| reject(Rule::Format, e.to_string()))?;
        let manifest_hash = sha256_hex(manifest_line.as_bytes());
        let head = format!("{MAGIC}\n{manifest_line}\n").into_bytes();
        let signed = SignedBytes {
            piece: &head,
            newline_due: false,
            lines: lines.iter(),
        };
        let signature = key
            .sign_reader(signed, &trusted_comment(manifest, &manifest_hash))
            .map_err(|e| reject(Rule::Signature, e.to_string()))?;
        Ok(SignedPayload {
            head,
            signature,
            lines,
            manifest_hash,
        })
    }

    /// Writes the payload: what was signed, with the signature after the manifest.
    fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(&self.head)?;
        out.write_all(self.signature.as_bytes())?;
        if !self.signature.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        for line in self.lines {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// The bytes a batch's signature covers, read where they are: the head (magic and
/// manifest), then each record line and its newline.
struct SignedBytes<'a> {
    piece: &'a [u8],
    newline_due: bool,
    lines: std::slice::Iter<'a, String>,
}

impl Read for SignedBytes<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            if self.piece.is_empty() {
                if std::mem::take(&mut self.newline_due) {
                    self.piece = b"\n";
                } else if let Some(line) = self.lines.next() {
                    self.piece = line.as_bytes();
                    self.newline_due = true;
                } else {
                    break;
                }
            }
            let n = self.piece.len().min(buf.len() - filled);
            buf[filled..filled + n].copy_from_slice(&self.piece[..n]);
            self.piece = &self.piece[n..];
            filled += n;
        }
        Ok(filled)
    }
}

/// zstd's level for batches: on the demo's 100,000 calls, level 1 makes batches 3 % smaller
/// than level 3 (5.80 against 5.95 MB) and the export takes 9 % less CPU time.
const LEVEL: i32 = 1;

/// Compresses a signed inner payload: as the office's outbox keeps it until central's
/// receipt, and as it travels.
pub fn compress(payload: &[u8]) -> Result<Vec<u8>, Rejection> {
    zstd::encode_all(payload, LEVEL).map_err(|e| reject(Rule::Format, e.to_string()))
}

/// Compresses, frames, pads and encrypts an inner payload to `recipients` (`age1…`).
pub fn seal(payload: &[u8], recipients: &[String]) -> Result<Vec<u8>, Rejection> {
    seal_compressed(&compress(payload)?, recipients)
}

/// Seals a payload as the outbox keeps it: compressed, or, for batches made before the
/// outbox kept them so, the signed payload itself (it starts with the magic line, which a
/// zstd frame never does).
pub fn seal_kept(kept: &[u8], recipients: &[String]) -> Result<Vec<u8>, Rejection> {
    if kept.starts_with(MAGIC.as_bytes()) {
        seal(kept, recipients)
    } else {
        seal_compressed(kept, recipients)
    }
}

/// Frames, pads and encrypts a compressed inner payload to `recipients`.
fn seal_compressed(compressed: &[u8], recipients: &[String]) -> Result<Vec<u8>, Rejection> {
    let mut plaintext = format!("{MAGIC} {}\n", compressed.len()).into_bytes();
    plaintext.extend_from_slice(compressed);
    let padded = padme(plaintext.len());
    if padded as u64 + (1 << 20) > MAX_FILE {
        return Err(reject(Rule::Size, "the batch is over the file size cap"));
    }
    plaintext.resize(padded, 0);
    encrypt(&plaintext, recipients)
}

pub(crate) fn encrypt(plaintext: &[u8], recipients: &[String]) -> Result<Vec<u8>, Rejection> {
    let parsed: Vec<age::x25519::Recipient> = recipients
        .iter()
        .map(|r| {
            crate::keys::slots::parse_recipient(r)
                .ok_or_else(|| reject(Rule::Recipient, format!("'{r}' is not an age recipient")))
        })
        .collect::<Result<_, _>>()?;
    let encryptor =
        age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| reject(Rule::Recipient, e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 1024);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| reject(Rule::Format, e.to_string()))?;
    writer
        .write_all(plaintext)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|e| reject(Rule::Format, e.to_string()))?;
    Ok(out)
}

/// Decrypts a whole file with `identity`: nothing is returned, and so nothing parsed, unless
/// the age stream ended cleanly (a cut file fails here, not halfway through parsing). The
/// header is bounded before age reads it ([`age_header::scan`]).
pub(crate) fn decrypt(
    file: &[u8],
    identity: &AgeIdentity,
    limit: usize,
) -> Result<Vec<u8>, Rejection> {
    age_header::scan(file)?;
    let decryptor = age::Decryptor::new_buffered(file).map_err(|e| match e {
        age::DecryptError::UnknownFormat | age::DecryptError::InvalidHeader => {
            reject(Rule::Format, "not an age file")
        }
        other => reject(Rule::Format, other.to_string()),
    })?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity.as_age() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => reject(
                Rule::Recipient,
                "not encrypted to this central's import key",
            ),
            other => reject(Rule::Integrity, other.to_string()),
        })?;
    let mut plaintext = Vec::new();
    (&mut reader)
        .take(limit as u64 + 1)
        .read_to_end(&mut plaintext)
        .map_err(|e| {
            reject(
                Rule::Integrity,
                format!("the file is damaged or cut short: {e}"),
            )
        })?;
    if plaintext.len() > limit {
        return Err(reject(
            Rule::Size,
            "the decrypted batch is over the size cap",
        ));
    }
    Ok(plaintext)
}

/// Decrypts a batch file and unframes its inner payload.
pub fn open(file: &[u8], identity: &AgeIdentity) -> Result<Vec<u8>, Rejection> {
    if file.len() as u64 > MAX_FILE {
        return Err(reject(
            Rule::Size,
            format!("{} bytes is over the cap of {MAX_FILE}", file.len()),
        ));
    }
    let plaintext = decrypt(file, identity, MAX_FILE as usize)?;
    let newline = plaintext
        .iter()
        .take(64)
        .position(|b| *b == b'\n')
        .ok_or_else(|| reject(Rule::Format, "no batch header"))?;
    let header = std::str::from_utf8(&plaintext[..newline])
        .map_err(|_| reject(Rule::Format, "the batch header is not text"))?;
    let length: usize = header
        .strip_prefix(MAGIC)
        .and_then(|rest| rest.strip_prefix(' '))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            reject(
                Rule::Format,
                format!("'{header}' is not a linea batch header"),
            )
        })?;
    let body = &plaintext[newline + 1..];
    if length > body.len() {
        return Err(reject(
            Rule::Format,
            "the batch is shorter than its header says",
        ));
    }
    if body[length..].iter().any(|b| *b != 0) {
        return Err(reject(Rule::Format, "unexpected bytes after the batch"));
    }
    let mut inner = Vec::new();
    zstd::Decoder::new(&body[..length])
        .map_err(|e| reject(Rule::Format, e.to_string()))?
        .take(MAX_PAYLOAD as u64 + 1)
        .read_to_end(&mut inner)
        .map_err(|e| reject(Rule::Format, format!("the batch does not decompress: {e}")))?;
    if inner.len() > MAX_PAYLOAD {
        return Err(reject(
            Rule::Size,
            "the batch decompresses beyond the size cap",
        ));
    }
    Ok(inner)
}

/// A batch read up to its signature: the manifest, and the bytes the signature covers. The
/// records are not parsed until the signature is good ([`Unverified::verify`]): parsing
/// 20,000 records costs far more than checking a signature, and nobody but the office may
/// make central spend it.
#[derive(Debug)]
pub struct Unverified {
    pub manifest: Manifest,
    pub manifest_hash: String,
    signature: String,
    /// Magic, manifest and records, as signed.
    signed: Vec<u8>,
    /// Where the records start in `signed`.
    records_start: usize,
}

/// A batch whose signature, manifest and records were all checked.
#[derive(Debug)]
pub struct Parsed {
    pub manifest: Manifest,
    pub manifest_hash: String,
    signature: String,
    /// The manifest's line as signed. The signed bytes are not kept whole: the record lines
    /// hold them already, and central holds a batch being imported and the next one checked.
    manifest_line: Vec<u8>,
    /// Each record's line (hashed as it is) and what it says.
    pub records: Vec<(String, Record)>,
}

impl Parsed {
    /// The bytes the signature covers (magic, manifest, records, each line ended by a
    /// newline as parsed): what `central unpack` writes for checking with the standard
    /// `minisign`.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let records: usize = self.records.iter().map(|(line, _)| line.len() + 1).sum();
        let mut signed = Vec::with_capacity(MAGIC.len() + self.manifest_line.len() + 2 + records);
        for line in [MAGIC.as_bytes(), &self.manifest_line]
            .into_iter()
            .chain(self.records.iter().map(|(line, _)| line.as_bytes()))
        {
            signed.extend_from_slice(line);
            signed.push(b'\n');
        }
        signed
    }

    pub fn signature(&self) -> &str {
        &self.signature
    }
}

/// Reads an inner payload up to its signature, with limits on everything an attacker
/// controls; the records are kept as bytes.
pub fn parse(inner: &[u8]) -> Result<Unverified, Rejection> {
    let mut lines = LineReader { rest: inner };
    let magic = lines
        .next_line()?
        .ok_or_else(|| reject(Rule::Format, "empty batch"))?;
    if magic != MAGIC.as_bytes() {
        return Err(reject(
            Rule::Format,
            "wrong magic: not a linea batch, or a newer format",
        ));
    }
    let manifest_line = lines
        .next_line_within(MAX_MANIFEST)?
        .ok_or_else(|| reject(Rule::Format, "no manifest"))?;
    let manifest: Manifest = serde_json::from_slice(manifest_line)
        .map_err(|e| reject(Rule::Manifest, format!("malformed manifest: {e}")))?;
    if manifest.format != MAGIC {
        return Err(reject(
            Rule::Manifest,
            format!("unknown format '{}'", manifest.format),
        ));
    }
    // Central keeps the counts as SQLite integers; no chain comes near.
    if [&manifest.audit_head, &manifest.audit_prev]
        .into_iter()
        .flatten()
        .any(|point| i64::try_from(point.entries).is_err())
    {
        return Err(reject(
            Rule::Manifest,
            "an audit entry count beyond any audit chain",
        ));
    }
    if manifest.records.len() > MAX_RECORDS || manifest.record_count != manifest.records.len() {
        return Err(reject(
            Rule::Limits,
            format!(
                "{} records listed ({} counted); a batch holds at most {MAX_RECORDS}",
                manifest.records.len(),
                manifest.record_count
            ),
        ));
    }
    let manifest_hash = sha256_hex(manifest_line);
    let mut signature = String::new();
    for _ in 0..4 {
        let line = lines
            .next_line()?
            .ok_or_else(|| reject(Rule::Signature, "unsigned: no signature after the manifest"))?;
        signature
            .push_str(std::str::from_utf8(line).map_err(|_| reject(Rule::Signature, "not text"))?);
        signature.push('\n');
    }
    if !signature.starts_with("untrusted comment:") {
        return Err(reject(
            Rule::Signature,
            "unsigned: no minisign signature after the manifest",
        ));
    }
    let mut signed = Vec::with_capacity(inner.len());
    signed.extend_from_slice(MAGIC.as_bytes());
    signed.push(b'\n');
    signed.extend_from_slice(manifest_line);
    signed.push(b'\n');
    let records_start = signed.len();
    signed.extend_from_slice(lines.rest);
    Ok(Unverified {
        manifest,
        manifest_hash,
        signature,
        signed,
        records_start,
    })
}

impl Unverified {
    /// Checks the signature with the office's pinned key, the trusted comment against the
    /// manifest and the recipient against this central; only then parses the records, and
    /// checks each against its manifest line.
    pub fn verify(
        self,
        office_key: &PublicSigningKey,
        own_recipient: &str,
    ) -> Result<Parsed, Rejection> {
        let manifest = &self.manifest;
        if manifest.office_key_id != office_key.key_id() {
            return Err(reject(
                Rule::Signature,
                format!(
                    "signed by key {}, not by office {}'s registered key {}",
                    manifest.office_key_id,
                    manifest.office_id,
                    office_key.key_id()
                ),
            ));
        }
        let check = office_key
            .verify(&self.signed, &self.signature)
            .map_err(|e| reject(Rule::Signature, e.to_string()))?;
        let expected = trusted_comment(manifest, &self.manifest_hash);
        if check.trusted_comment != expected {
            return Err(reject(
                Rule::TrustedComment,
                format!("'{}' does not match the manifest", check.trusted_comment),
            ));
        }
        if manifest.recipient != recipient_fingerprint(own_recipient) {
            return Err(reject(
                Rule::Recipient,
                "made for another central (its recipient fingerprint is not ours)",
            ));
        }
        let records = parse_records(&self.signed[self.records_start..], manifest)?;
        let mut manifest_line = self.signed;
        manifest_line.truncate(self.records_start - 1);
        manifest_line.drain(..MAGIC.len() + 1);
        manifest_line.shrink_to_fit();
        Ok(Parsed {
            manifest: self.manifest,
            manifest_hash: self.manifest_hash,
            signature: self.signature,
            manifest_line,
            records,
        })
    }
}

/// Parses the records of a batch whose signature is good, and checks each against its
/// manifest line.
fn parse_records(bytes: &[u8], manifest: &Manifest) -> Result<Vec<(String, Record)>, Rejection> {
    let mut lines = LineReader { rest: bytes };
    let mut records = Vec::with_capacity(manifest.records.len());
    while let Some(line) = lines.next_line()? {
        if records.len() >= MAX_RECORDS {
            return Err(reject(
                Rule::Limits,
                format!("more than {MAX_RECORDS} records"),
            ));
        }
        let text = std::str::from_utf8(line).map_err(|_| {
            reject(
                Rule::Format,
                format!("record {} is not text", records.len() + 1),
            )
        })?;
        let record: Record = serde_json::from_str(text).map_err(|e| {
            reject(
                Rule::Record,
                format!("record {} is malformed: {e}", records.len() + 1),
            )
        })?;
        records.push((text.to_owned(), record));
    }
    if records.len() != manifest.records.len() {
        return Err(reject(
            Rule::Manifest,
            format!(
                "{} records, but the manifest lists {}",
                records.len(),
                manifest.records.len()
            ),
        ));
    }
    for (n, ((line, record), entry)) in records.iter().zip(&manifest.records).enumerate() {
        let meta = record.meta();
        let hash_differs = entry
            .hash
            .as_ref()
            .is_some_and(|hash| *hash != sha256_hex(line.as_bytes()));
        if hash_differs
            || meta.id != entry.id
            || meta.version != entry.version
            || record.kind() != entry.kind
        {
            return Err(reject(
                Rule::RecordHash,
                format!("record {} is not the one its manifest line names", n + 1),
            ));
        }
        if meta.office_id != manifest.office_id {
            return Err(reject(
                Rule::Record,
                format!(
                    "record {} belongs to office {}, not to the sender",
                    n + 1,
                    meta.office_id
                ),
            ));
        }
    }
    Ok(records)
}

/// Lines of a payload, each within a length cap.
struct LineReader<'a> {
    rest: &'a [u8],
}

impl<'a> LineReader<'a> {
    fn next_line(&mut self) -> Result<Option<&'a [u8]>, Rejection> {
        self.next_line_within(MAX_LINE)
    }

    fn next_line_within(&mut self, max: usize) -> Result<Option<&'a [u8]>, Rejection> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let end = self
            .rest
            .iter()
            .take(max + 1)
            .position(|b| *b == b'\n')
            .ok_or_else(|| {
                reject(
                    Rule::Limits,
                    "a line is over the length cap (or unterminated)",
                )
            })?;
        let line = &self.rest[..end];
        self.rest = &self.rest[end + 1..];
        Ok(Some(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Batches made before manifests carried the office's audit head (or the entry where
    /// the previous batch's head stood) still read, and a manifest without them is written
    /// as they were.
    #[test]
    fn a_manifest_without_an_audit_head_reads_and_writes_as_before() {
        let before = r#"{"format":"linea-batch/1","office_id":"pe-lima","office_key_id":"A1",
            "recipient":"f","seq":1,"prev_manifest":"","created_at":"2026-01-01T00:00:00Z",
            "program":"linea 0.1.0","record_count":0,"highest_receipt":0,"records":[]}"#;
        let manifest: Manifest = serde_json::from_str(before).unwrap();
        assert_eq!(manifest.audit_head, None);
        assert_eq!(manifest.audit_prev, None);
        let written = serde_json::to_string(&manifest).unwrap();
        assert!(!written.contains("audit_"), "{written}");
    }

    /// New manifests name each record without its hash; those of batches made before, with
    /// it, still read and keep it.
    #[test]
    fn a_manifest_entry_is_written_without_a_hash_and_read_with_or_without() {
        let id = Uuid::nil();
        let entry = ManifestEntry {
            id,
            kind: "call".into(),
            version: 1,
            hash: None,
        };
        let written = serde_json::to_string(&entry).unwrap();
        assert!(!written.contains("hash"), "{written}");
        let before = format!(r#"{{"id":"{id}","kind":"call","version":1,"hash":"ab"}}"#);
        let read: ManifestEntry = serde_json::from_str(&before).unwrap();
        assert_eq!(read.hash.as_deref(), Some("ab"));
        assert_eq!(
            serde_json::from_str::<ManifestEntry>(&written).unwrap(),
            entry
        );
    }

    #[test]
    fn an_audit_entry_count_beyond_any_chain_is_refused() {
        let manifest = r#"{"format":"linea-batch/1","office_id":"pe-lima","office_key_id":"A1",
            "recipient":"f","seq":2,"prev_manifest":"","created_at":"2026-01-01T00:00:00Z",
            "program":"linea 0.1.0","record_count":0,"highest_receipt":0,"records":[],
            "audit_head":{"entries":40,"hash":"a"},
            "audit_prev":{"entries":18446744073709551615,"hash":"b"}}"#
            .replace(char::is_whitespace, "");
        let payload = format!("{MAGIC}\n{manifest}\n");
        let refused = parse(payload.as_bytes()).map(|_| ()).unwrap_err();
        assert_eq!(refused.rule, Rule::Manifest, "{refused}");
        assert!(refused.detail.contains("audit entry count"), "{refused}");
    }

    /// A batch signed and compressed from its lines where they are is the payload
    /// [`build_payload`] makes, its signature good over the same bytes.
    #[test]
    fn a_payload_compressed_as_it_is_built_is_the_payload_built_whole() {
        let key = SigningKey::generate().unwrap();
        let manifest: Manifest = serde_json::from_str(
            r#"{"format":"linea-batch/1","office_id":"pe-lima","office_key_id":"A1",
            "recipient":"f","seq":1,"prev_manifest":"","created_at":"2026-01-01T00:00:00Z",
            "program":"linea 0.1.0","record_count":0,"highest_receipt":0,"records":[]}"#,
        )
        .unwrap();
        // Lines longer and shorter than a read of the signature's hash (64 KiB).
        let lines: Vec<String> = (0..300)
            .map(|n| format!("{{\"n\":\"{}\"}}", "x".repeat(n * n)))
            .collect();
        let (whole, whole_hash) = build_payload(&manifest, &lines, &key).unwrap();
        let (compressed, hash) = build_compressed(&manifest, &lines, &key).unwrap();
        assert_eq!(hash, whole_hash);
        let payload = zstd::decode_all(&compressed[..]).unwrap();
        let (built, made_whole) = (parse(&payload).unwrap(), parse(&whole).unwrap());
        assert_eq!(built.signed, made_whole.signed);
        assert_eq!(built.manifest_hash, hash);
        for read in [built, made_whole] {
            key.public().verify(&read.signed, &read.signature).unwrap();
        }
    }

    /// A record's line, byte for byte: central compares the hashes of lines to tell an
    /// unchanged record from a changed one, so however a line is made, it must not move.
    /// Timestamps at each precision chrono writes (whole seconds, milli, micro, nano),
    /// escapes, places and every kind of field.
    #[test]
    fn a_record_line_is_pinned_byte_for_byte() {
        use chrono::{TimeZone, Utc};
        use std::collections::BTreeMap;

        use crate::model::{
            CallFields, EmergencyAction, PhoneHash, Place, RecordMeta, ReferralFields, StatusChange,
        };

        let at = |secs: i64, nanos: u32| Utc.timestamp_opt(secs, nanos).single().unwrap();
        let meta = RecordMeta {
            id: Uuid::from_u128(0x01a2_5326_2565_70b3_860e_d76a_f52d_0bcc),
            office_id: "pe-lima".into(),
            author: "ana".into(),
            created_at: at(1_534_897_225, 468_857_000),
            updated_at: at(1_534_897_226, 0),
            version: 3,
        };
        let call = Record::Call {
            meta: meta.clone(),
            fields: Box::new(CallFields {
                started_at: Some(at(1_534_897_000, 468_857_851)),
                ended_at: Some(at(1_534_897_100, 5_000_000)),
                channel: "PHONE".into(),
                caller_type: "VICTIM_SELF".into(),
                reason: "GENERAL_INFO".into(),
                urgency: "U1_IMMEDIATE".into(),
                caller_name: Some("Juana \"la\" Huamán\t/\u{1}".into()),
                caller_phone: None,
                caller_phone_hashes: vec![PhoneHash {
                    key: "k1".into(),
                    hash: "ab".repeat(32),
                }],
                caller_place: Some(Place::Ubigeo("080108".into())),
                language: Some("SPA".into()),
                interpreter_used: true,
                case_id: Some(Uuid::from_u128(7)),
                recruitment_place: Some(Place::Country("VE".into())),
                transit_places: vec![Place::Country("EC".into()), Place::Ubigeo("150101".into())],
                exploitation_place: Some(Place::Ubigeo("150000".into())),
                recruitment_method: Some("JOB_OFFER".into()),
                relationship_to_trafficker: Some("EMPLOYER".into()),
                exploitation_types: vec!["LABOUR".into()],
                sexual_exploitation_types: vec!["X".into()],
                labour_sectors: vec!["A".into(), "B".into()],
                context_tags: vec!["MINING".into()],
                means_of_control: vec!["DEBT".into()],
                indicators: BTreeMap::from([("B".into(), "NO".into()), ("A".into(), "YES".into())]),
                age_years: Some(17),
                age_band: Some("15_17".into()),
                gender: Some("F".into()),
                citizenship: vec!["PE".into()],
                migration_status: Some("REGULAR".into()),
                information_given: vec!["HOW_TO_REPORT".into()],
                outcomes: vec!["WARM_TRANSFER".into()],
                emergency_actions: vec![EmergencyAction {
                    outcome: "WARM_TRANSFER".into(),
                    at: at(-1, 999_999_999),
                    target: Some("PNP".into()),
                }],
                emergency_checklist: vec!["LOCATION".into()],
                notes: "Línea 1\nLínea 2 «€» 𝄞 \u{7f}".into(),
            }),
        };
        let referral = Record::Referral {
            meta,
            fields: ReferralFields {
                call_id: Some(Uuid::from_u128(1)),
                case_id: None,
                target_type: "LABOUR_INSPECTION".into(),
                institution: "GEIT – SUNAFIL".into(),
                reason: "ADDITIONAL_SERVICES".into(),
                sharing_basis: "CONSENT".into(),
                sent_at: Some(at(4_102_444_800, 123_000_000)),
                due_at: Some(at(0, 0)),
                ..ReferralFields::default()
            },
            history: vec![StatusChange {
                status: "SENT".into(),
                at: at(1_534_897_225, 1),
                author: "ana".into(),
                note: String::new(),
            }],
        };
        for (record, pinned) in [(call, PINNED_CALL), (referral, PINNED_REFERRAL)] {
            assert_eq!(record_line(&record).unwrap(), pinned);
        }
    }

    const PINNED_CALL: &str = "{\"kind\":\"call\",\"meta\":{\"id\":\"01a25326-2565-70b3-860e-d76af52d0bcc\",\"office_id\":\"pe-lima\",\"author\":\"ana\",\"created_at\":\"2018-08-22T00:20:25.468857Z\",\"updated_at\":\"2018-08-22T00:20:26Z\",\"version\":3},\"fields\":{\"started_at\":\"2018-08-22T00:16:40.468857851Z\",\"ended_at\":\"2018-08-22T00:18:20.005Z\",\"channel\":\"PHONE\",\"caller_type\":\"VICTIM_SELF\",\"reason\":\"GENERAL_INFO\",\"urgency\":\"U1_IMMEDIATE\",\"caller_name\":\"Juana \\\"la\\\" Huamán\\t/\\u0001\",\"caller_phone_hashes\":[{\"key\":\"k1\",\"hash\":\"abababababababababababababababababababababababababababababababab\"}],\"caller_place\":\"080108\",\"language\":\"SPA\",\"interpreter_used\":true,\"case_id\":\"00000000-0000-0000-0000-000000000007\",\"recruitment_place\":\"VE\",\"transit_places\":[\"EC\",\"150101\"],\"exploitation_place\":\"150000\",\"recruitment_method\":\"JOB_OFFER\",\"relationship_to_trafficker\":\"EMPLOYER\",\"exploitation_types\":[\"LABOUR\"],\"sexual_exploitation_types\":[\"X\"],\"labour_sectors\":[\"A\",\"B\"],\"context_tags\":[\"MINING\"],\"means_of_control\":[\"DEBT\"],\"indicators\":{\"A\":\"YES\",\"B\":\"NO\"},\"age_years\":17,\"age_band\":\"15_17\",\"gender\":\"F\",\"citizenship\":[\"PE\"],\"migration_status\":\"REGULAR\",\"information_given\":[\"HOW_TO_REPORT\"],\"outcomes\":[\"WARM_TRANSFER\"],\"emergency_actions\":[{\"outcome\":\"WARM_TRANSFER\",\"at\":\"1969-12-31T23:59:59.999999999Z\",\"target\":\"PNP\"}],\"emergency_checklist\":[\"LOCATION\"],\"notes\":\"Línea 1\\nLínea 2 «€» 𝄞 \u{7f}\"}}";
    const PINNED_REFERRAL: &str = "{\"kind\":\"referral\",\"meta\":{\"id\":\"01a25326-2565-70b3-860e-d76af52d0bcc\",\"office_id\":\"pe-lima\",\"author\":\"ana\",\"created_at\":\"2018-08-22T00:20:25.468857Z\",\"updated_at\":\"2018-08-22T00:20:26Z\",\"version\":3},\"fields\":{\"call_id\":\"00000000-0000-0000-0000-000000000001\",\"target_type\":\"LABOUR_INSPECTION\",\"institution\":\"GEIT – SUNAFIL\",\"reason\":\"ADDITIONAL_SERVICES\",\"sharing_basis\":\"CONSENT\",\"sent_at\":\"2100-01-01T00:00:00.123Z\",\"due_at\":\"1970-01-01T00:00:00Z\"},\"history\":[{\"status\":\"SENT\",\"at\":\"2018-08-22T00:20:25.000000001Z\",\"author\":\"ana\"}]}";

    /// Known lengths and their Padmé lengths, worked from the paper's definition: keep the
    /// top bits of the length, as many as the bit length of its exponent.
    #[test]
    fn padme_keeps_the_top_bits_of_the_length() {
        for (len, padded) in [
            (0, 0),
            (1, 1),
            (2, 2),
            (9, 10),
            (100, 104),
            (1000, 1024),
            (1025, 1088),
            (65_537, 67_584),
            (1_000_000, 1_015_808),
            (16 * 1024 * 1024 + 1, 17_301_504),
        ] {
            assert_eq!(padme(len), padded, "padme({len})");
        }
    }

    /// For every length a batch can have: never shorter, at most 12 % longer, in order, and a
    /// padded length pads to itself (so the sizes seen on sticks are few).
    #[test]
    fn padme_costs_at_most_twelve_percent_up_to_the_cap_and_keeps_order() {
        let cap = compress_bound(MAX_BATCH_BYTES + HEADER) + 64;
        let mut previous = 0;
        let mut sizes = 0;
        for len in 1..=cap {
            let padded = padme(len);
            assert!(
                padded >= len && (padded - len) * 100 <= len * 12,
                "padme({len}) = {padded}"
            );
            assert!(padded >= previous, "padme({len}) = {padded} < {previous}");
            if padded != previous {
                assert_eq!(padme(padded), padded, "padme({padded})");
                sizes += 1;
            }
            previous = padded;
        }
        // What a file's size can tell among 17 million lengths: one of about 430.
        assert!(sizes < 500, "{sizes} padded sizes");
    }

    /// Whatever Padmé length a frame was padded to, central opens it, and only zeros may
    /// follow the frame.
    #[test]
    fn a_reader_opens_every_padded_size_and_refuses_bytes_after_the_frame() {
        let central = AgeIdentity::generate();
        let recipients = [central.recipient()];
        let mut rng_state = 7u64;
        for size in [1usize, 10, 100, 1000, 5000, 70_000, 300_000] {
            // Bytes zstd cannot shrink, so the frame is as long as asked.
            let payload: Vec<u8> = (0..size)
                .map(|_| {
                    rng_state = rng_state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (rng_state >> 56) as u8
                })
                .collect();
            let sealed = seal(&payload, &recipients).unwrap();
            assert_eq!(open(&sealed, &central).unwrap(), payload, "{size} bytes");
            let mut plaintext = decrypt(&sealed, &central, MAX_FILE as usize).unwrap();
            assert_eq!(padme(plaintext.len()), plaintext.len(), "{size} bytes");
            let header_end = plaintext.iter().position(|b| *b == b'\n').unwrap();
            let frame: usize = std::str::from_utf8(&plaintext[MAGIC.len() + 1..header_end])
                .unwrap()
                .parse()
                .unwrap();
            if header_end + 1 + frame < plaintext.len() {
                *plaintext.last_mut().unwrap() = 1;
                let tampered = encrypt(&plaintext, &recipients).unwrap();
                let refused = open(&tampered, &central).unwrap_err();
                assert!(refused.detail.contains("after the batch"), "{refused}");
            }
        }
    }

    /// A batch kept compressed (now) and one kept as the signed payload itself (made before
    /// the outbox compressed them) go out as the same batch.
    #[test]
    fn a_kept_payload_seals_the_same_whether_compressed_or_not() {
        let central = AgeIdentity::generate();
        let payload = format!("{MAGIC}\n{{\"seq\":1}}\nsignature\n{{\"id\":1}}\n").into_bytes();
        let recipients = [central.recipient()];
        for kept in [compress(&payload).unwrap(), payload.clone()] {
            let sealed = seal_kept(&kept, &recipients).unwrap();
            assert_eq!(open(&sealed, &central).unwrap(), payload);
        }
    }
}
