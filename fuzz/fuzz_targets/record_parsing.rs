//! A record file's bytes, ours or anyone's, through what `adr list`,
//! `check` and `--supersedes` do with it: `records::parse`,
//! `records::front_matter`, `records::meta` (on the text read lossily, as
//! those commands read it) and, for UTF-8 text, `records::mark_superseded`
//! twice. Nothing may panic, and marking must be an edit of the status
//! only (an oracle, not only a no-panic target):
//!
//! - the marked text holds the link, and `parse` reads it as superseded;
//! - every byte outside one span of the input is kept, and that span lies
//!   within one paragraph (no blank or heading line inside it), so the title
//!   and every other section stay as they were;
//! - marking it again by a second record keeps the first link, and marking
//!   it again by the same record changes nothing.

#![no_main]

use libfuzzer_sys::fuzz_target;
use statewise::adr::records;

/// The link of the record that supersedes it first, as `adr` writes it for
/// a record with front matter.
const FIRST: &str = "[ADR-0002](0002-next.md)";
/// The link of a second one, as `adr` writes it for a record without.
const SECOND: &str = "[3. Later](0003-later.md)";

/// Asserts that `after` is `before` with its status marked superseded by
/// `link`, and nothing else changed.
fn check_edit(before: &str, after: &str, link: &str) {
    assert!(after.contains(link), "the link is missing:\n{after:?}");
    let status = records::parse(1, "0001-x.md", after).status;
    assert_eq!(
        status.as_deref(),
        Some("superseded"),
        "not read back as superseded:\n{after:?}"
    );
    // The bytes that changed: one span of `before` replaced by one span of
    // `after`, found from the common prefix and suffix.
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let prefix = b.iter().zip(a).take_while(|(x, y)| x == y).count();
    let room = b.len().min(a.len()) - prefix;
    let suffix = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let removed = &b[prefix..b.len() - suffix];
    // Lines wholly inside what was removed: none blank (that would be two
    // paragraphs), none a heading (another section, or the title).
    let segments: Vec<&[u8]> = removed.split(|c| *c == b'\n').collect();
    if segments.len() > 2 {
        for line in &segments[1..segments.len() - 1] {
            let line = String::from_utf8_lossy(line);
            assert!(
                !line.trim().is_empty() && !line.starts_with('#'),
                "the edit removed more than the status ({line:?} went):\nbefore {before:?}\nafter {after:?}"
            );
        }
    }
    // The title line stays, byte for byte.
    if let Some(title) = before.lines().find(|l| l.starts_with("# ")) {
        assert!(
            after.contains(title),
            "the title {title:?} went:\n{after:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    // `adr list` and `check` read a record lossily and never fail on it.
    let lossy = String::from_utf8_lossy(data);
    let _ = records::parse(7, "0007-x.md", &lossy);
    let _ = records::front_matter(&lossy);
    let _ = records::meta(&lossy);

    // `--supersedes` edits UTF-8 records only.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(once) = records::mark_superseded(text, FIRST) else {
        return;
    };
    check_edit(text, &once, FIRST);
    let _ = records::meta(&once);

    let twice = records::mark_superseded(&once, SECOND)
        .unwrap_or_else(|| panic!("a marked record has no status:\n{once:?}"));
    check_edit(&once, &twice, SECOND);
    assert!(
        twice.matches(FIRST).count() >= once.matches(FIRST).count(),
        "the first link went:\nonce {once:?}\ntwice {twice:?}"
    );
    assert_eq!(
        records::mark_superseded(&twice, SECOND).as_deref(),
        Some(twice.as_str()),
        "marking by the same record twice changed the text"
    );
});
