//! A store folder linea may not write in, and a disk that fills up: each is said plainly,
//! on one line, and locks nobody out once it is fixed.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::{FAST_WORK_FACTOR, Office, PASSPHRASE, Run, linea, tool};
use linea::keys::Passphrase;
use linea::store::{OfficeStore, open_db};

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// `linea --store DIR --operator ana ARGS`, unable to write where the folder's permissions
/// say so: root passes them, so it runs without the capability that lets it.
fn linea_bound_by_permissions(dir: &Path, args: &[&str]) -> Run {
    let store = dir.to_str().unwrap();
    let mut all = vec!["--store", store, "--operator", "ana"];
    all.extend_from_slice(args);
    if !is_root() {
        return linea(&all, "", &[]);
    }
    let output = tool("setpriv")
        .args(["--bounding-set", "-dac_override,-dac_read_search"])
        .arg(env!("CARGO_BIN_EXE_linea"))
        .args(&all)
        .env("LINEA_PASSPHRASE", PASSPHRASE)
        .env("LINEA_TEST_KDF_WORK_FACTOR", FAST_WORK_FACTOR.to_string())
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_store_folder_linea_may_not_write_in_is_named_as_such() {
    let office = Office::new();
    let dir = office.dir();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o500)).unwrap();
    let line = linea_bound_by_permissions(&dir, &["call", "list"]).fails(1);
    // A folder opened before has its lock file; one never opened has none to write.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
    fs::remove_file(dir.join(linea::store::LOCK_FILE)).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o500)).unwrap();
    let first = linea_bound_by_permissions(&dir, &["call", "list"]).fails(1);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
    for line in [line, first] {
        assert!(
            line.contains("may not write in the store folder") && line.contains("writable"),
            "{line}"
        );
    }
    office.run(&["call", "list"]).ok();
}

/// Runs the full-disk scenario on a small tmpfs: as root directly, otherwise in a user and
/// mount namespace of its own where the system allows one. `None` when neither can mount.
fn on_a_small_disk(script: &str, out: &Path) -> Option<std::process::Output> {
    let mount_point = out.join("disk");
    fs::create_dir(&mount_point).unwrap();
    let mut command = if is_root() {
        Command::new("sh")
    } else {
        let mut unshare = tool("unshare");
        unshare.args(["--user", "--map-root-user", "--mount", "sh"]);
        unshare
    };
    let output = command
        .arg("-c")
        .arg(script)
        .env("MNT", &mount_point)
        .env("OUT", out)
        .env("LINEA", env!("CARGO_BIN_EXE_linea"))
        .env("LINEA_PASSPHRASE", PASSPHRASE)
        .env("LINEA_TEST_KDF_WORK_FACTOR", FAST_WORK_FACTOR.to_string())
        .env_remove("LINEA_STORE")
        .env_remove("LINEA_OPERATOR")
        .current_dir(out)
        .output()
        .unwrap();
    match output.status.code() {
        Some(97) => None,
        _ => Some(output),
    }
}

/// Fills the disk but for $1 KiB; each command's status and stderr go to $OUT.
const FULL_DISK: &str = r#"
mount -t tmpfs -o size=8m tmpfs "$MNT" || exit 97
trap 'umount "$MNT"' EXIT
set -e
"$LINEA" demo "$MNT/d" --calls 300 --no-open > /dev/null
fill() {
    avail=$(df -k "$MNT" | tail -1 | awk '{print $4}')
    dd if=/dev/zero of="$MNT/filler" bs=1k count=$((avail - $1)) 2> /dev/null || true
}
run() {
    name=$1; shift
    set +e
    "$LINEA" --store "$MNT/d/office" "$@" > /dev/null 2> "$OUT/$name.err"
    echo $? > "$OUT/$name.status"
    set -e
}
fill 300
run remove --operator ana operator remove luis
run others --operator ana call list
run removed --operator luis call list
rm "$MNT/filler"
fill 0
run full --operator ana call list
rm "$MNT/filler"
run after --operator ana call list
cp -r "$MNT/d" "$OUT/copy"
"#;

#[test]
fn a_disk_full_during_an_operator_removal_is_said_and_locks_nobody_out_once_freed() {
    let out = tempfile::tempdir().unwrap();
    let Some(output) = on_a_small_disk(FULL_DISK, out.path()) else {
        eprintln!("skipped: mounting a small tmpfs needs root or a user namespace here");
        return;
    };
    assert!(output.status.success(), "{output:?}");
    let read = |name: &str| fs::read_to_string(out.path().join(name)).unwrap();
    let full = "the disk that holds the store is full: free some space on it";
    assert_eq!(read("remove.status").trim(), "1");
    assert!(read("remove.err").contains(full), "{}", read("remove.err"));
    // Meanwhile the others work; the removed operator does not.
    assert_eq!(read("others.status").trim(), "0", "{}", read("others.err"));
    assert!(read("removed.err").contains("'luis' has been removed"));
    assert_eq!(read("full.status").trim(), "1");
    assert!(read("full.err").contains(full), "{}", read("full.err"));
    assert_eq!(read("full.err").lines().count(), 1);
    // Room again: the rotation is finished and the store opens as before.
    assert_eq!(read("after.status").trim(), "0", "{}", read("after.err"));
    let copy = out.path().join("copy");
    let office = copy.join("office");
    let slots = linea::keys::KeyDir::of_store(&office)
        .operator_names()
        .unwrap();
    assert_eq!(slots, vec!["ana".to_owned()]);
    let recovery =
        linea::keys::AgeIdentity::read_recovery_file(&copy.join("central-recovery.txt")).unwrap();
    let keys = linea::keys::KeyDir::of_store(&office);
    let key = keys
        .read_store_key(&keys.store_key_path(), &recovery)
        .unwrap();
    open_db(&office.join("linea.db"), &key, false).unwrap();
    let store = OfficeStore::open(&office, "ana", &Passphrase::new(PASSPHRASE.into())).unwrap();
    assert_eq!(store.call_count().unwrap(), 300);
}
