//! The text of a record file as other tools and editors save it: UTF-8
//! with or without a byte-order mark, UTF-16 (little or big endian, with
//! its mark), CRLF or LF line ends. Reading yields the text without the
//! mark; an edit is written back in the file's own encoding, mark and line
//! ends, so every byte it did not change stays.

/// How a record file's bytes encode its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 after the mark `EF BB BF`.
    Utf8Bom,
    /// UTF-16, little endian, after the mark `FF FE`.
    Utf16Le,
    /// UTF-16, big endian, after the mark `FE FF`.
    Utf16Be,
}

/// The text of `bytes` and how it was encoded; `None` when the bytes are
/// not valid in the encoding their start announces.
pub fn decode_with(bytes: &[u8]) -> Option<(String, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec())
            .ok()
            .map(|t| (t, Encoding::Utf8Bom));
    }
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return None;
        }
        let units = rest.chunks_exact(2).map(|c| from([c[0], c[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes).map(|t| (t, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes).map(|t| (t, Encoding::Utf16Be));
    }
    String::from_utf8(bytes.to_vec())
        .ok()
        .map(|t| (t, Encoding::Utf8))
}

/// The text of `bytes` (see [`decode_with`]).
pub fn decode(bytes: &[u8]) -> Option<String> {
    decode_with(bytes).map(|(t, _)| t)
}

/// The text of `bytes` for reading only: as [`decode`], and bytes that are
/// not valid are shown as U+FFFD rather than refused.
pub fn decode_lossy(bytes: &[u8]) -> String {
    decode(bytes).unwrap_or_else(|| {
        let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8_lossy(rest).into_owned()
    })
}

/// `text` in `encoding`, with its byte-order mark.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16Le => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        Encoding::Utf16Be => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_reads_and_writes_back_the_same_bytes() {
        let text = "# 1. Café\r\n\r\n## Status\r\n\r\nAccepted\r\n";
        for enc in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = encode(text, enc);
            assert_eq!(decode_with(&bytes), Some((text.to_owned(), enc)), "{enc:?}");
        }
        assert_eq!(encode("a", Encoding::Utf16Le), b"\xFF\xFEa\0");
        assert_eq!(encode("a", Encoding::Utf8Bom), b"\xEF\xBB\xBFa");
    }

    #[test]
    fn broken_bytes_are_refused_or_replaced() {
        assert_eq!(decode(b"\xFF\xFEa"), None);
        assert_eq!(decode(b"\xEF\xBB\xBF\xFF"), None);
        assert_eq!(decode_lossy(b"\xEF\xBB\xBF# T\xFF"), "# T\u{FFFD}");
    }
}
