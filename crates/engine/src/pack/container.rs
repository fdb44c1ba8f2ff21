//! The container both binary formats come in, the pack and the NER model: a header that names the
//! format and its version and guards the payload with its length and a CRC-32 ([`crate::pack::crc`]).
//!
//! Layout (all integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic (`SOROTPAK`, `SOROTNER`) |
//! | 2 | format version |
//! | 2 | reserved, zero |
//! | 8 | payload length in bytes |
//! | 4 | CRC-32 (IEEE) of the bytes from the version to the end, this field excluded |
//! | n | payload |
//!
//! What the payload holds, and what a reader makes of a length that does not match, is the format's
//! business; the header and the messages about it are shared.

use std::fmt;

use crate::pack::crc::Crc32;

/// Bytes of the header, before the payload.
pub(crate) const HEADER_LEN: usize = 8 + 2 + 2 + 8 + 4;

/// One format in the container: its magic and version, and how its messages name it.
pub(crate) struct Format {
    /// The first eight bytes.
    pub(crate) magic: [u8; 8],
    /// The version this build reads and writes.
    pub(crate) version: u16,
    /// What the file is, as a message begins (`pack`, `NER model`).
    pub(crate) noun: &'static str,
    /// What the file is not when its magic is wrong (`Sorot pack`).
    pub(crate) name: &'static str,
    /// What to do with a file of another version (``re-create it with `sorot pack` ``).
    pub(crate) remedy: &'static str,
}

/// What a header says about the payload after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    /// Bytes of payload.
    pub(crate) payload_len: u64,
    /// The checksum the payload (with the header fields it covers) must have.
    pub(crate) crc: u32,
}

/// What can be wrong with the container a pack or an NER model comes in, whatever its payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContainerFault {
    /// The bytes do not start with the format's magic: not a file of this format at all.
    NotThisFormat,
    /// The file is of another version of the format.
    WrongVersion {
        /// The version in the file.
        found: u16,
    },
    /// Fewer bytes than there should be.
    Truncated {
        /// Bytes there should be.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// The checksum does not match: the bytes were damaged.
    ChecksumMismatch,
}

impl Format {
    /// The header, with the payload length and checksum still zero, in a buffer with room for
    /// `capacity` bytes of payload. Append the payload, then [`seal`] it.
    pub(crate) fn begin(&self, capacity: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + capacity);
        out.extend_from_slice(&self.magic);
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&[0; 12]);
        out
    }

    /// The payload of a whole container in `bytes`, checked: magic, version, length and checksum.
    pub(crate) fn open<'a>(&self, bytes: &'a [u8]) -> Result<&'a [u8], ContainerFault> {
        let header = self.read_header(bytes)?.ok_or_else(|| short_header(bytes.len()))?;
        let found = (bytes.len() - HEADER_LEN) as u64;
        if found < header.payload_len {
            let expected = HEADER_LEN as u64 + header.payload_len;
            return Err(ContainerFault::Truncated { expected, found: bytes.len() as u64 });
        }
        let mut crc = checksum_start(bytes);
        crc.update(&bytes[HEADER_LEN..]);
        if found > header.payload_len || crc.finalize() != header.crc {
            return Err(ContainerFault::ChecksumMismatch);
        }
        Ok(&bytes[HEADER_LEN..])
    }

    /// `payload` in a sealed container.
    pub(crate) fn wrap(&self, payload: &[u8]) -> Vec<u8> {
        let mut out = self.begin(payload.len());
        out.extend_from_slice(payload);
        seal(&mut out);
        out
    }

    /// Reads the header at the start of `head`, the first bytes of a container (as many as are at
    /// hand): `Ok(None)` while they begin a header of this format but are not all of it yet.
    pub(crate) fn read_header(&self, head: &[u8]) -> Result<Option<Header>, ContainerFault> {
        let magic = head.len().min(self.magic.len());
        if head[..magic] != self.magic[..magic] {
            return Err(ContainerFault::NotThisFormat);
        }
        if head.len() < HEADER_LEN {
            return Ok(None);
        }
        let version = u16::from_le_bytes([head[8], head[9]]);
        if version != self.version {
            return Err(ContainerFault::WrongVersion { found: version });
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&head[12..20]);
        let mut crc = [0u8; 4];
        crc.copy_from_slice(&head[20..24]);
        Ok(Some(Header { payload_len: u64::from_le_bytes(len), crc: u32::from_le_bytes(crc) }))
    }

    /// The message about `fault`, naming this format.
    pub(crate) fn describe(&self, fault: ContainerFault, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = self.noun;
        match fault {
            ContainerFault::NotThisFormat => {
                write!(f, "not a {} (it does not start with {})", self.name, self.magic.escape_ascii())
            }
            ContainerFault::WrongVersion { found } => write!(
                f,
                "{noun} format version {found} is not supported (this build reads version {}); {}",
                self.version, self.remedy
            ),
            ContainerFault::Truncated { expected, found } => {
                write!(f, "{noun} is cut off: {found} of {expected} bytes present; copy or download it again")
            }
            ContainerFault::ChecksumMismatch => {
                write!(f, "{noun} is damaged (checksum mismatch); copy or download it again")
            }
        }
    }

    /// The message about a payload that has the right checksum but does not decode (a writer bug).
    pub(crate) fn describe_malformed(&self, what: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} content does not decode: {what}", self.noun)
    }
}

/// What is wrong when the `len` bytes that began a header (see [`Format::read_header`]) are all
/// there is: too few for the magic, or for the rest of the header.
pub(crate) fn short_header(len: usize) -> ContainerFault {
    if len < 8 {
        ContainerFault::NotThisFormat
    } else {
        ContainerFault::Truncated { expected: HEADER_LEN as u64, found: len as u64 }
    }
}

/// The checksum of a container as far as its header goes (the fields after the magic, before the
/// checksum itself); the payload is added to it.
pub(crate) fn checksum_start(head: &[u8]) -> Crc32 {
    let mut crc = Crc32::new();
    crc.update(&head[8..20]);
    crc
}

/// Fills in the payload length and the checksum of a container that [`Format::begin`] started and
/// its payload followed.
pub(crate) fn seal(out: &mut [u8]) {
    let payload_len = (out.len() - HEADER_LEN) as u64;
    out[12..20].copy_from_slice(&payload_len.to_le_bytes());
    let (head, payload) = out.split_at(HEADER_LEN);
    let mut crc = checksum_start(head);
    crc.update(payload);
    let crc = crc.finalize();
    out[20..24].copy_from_slice(&crc.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST: Format = Format {
        magic: *b"SOROTTST",
        version: 3,
        noun: "test file",
        name: "Sorot test file",
        remedy: "make it again",
    };

    fn sealed(payload: &[u8]) -> Vec<u8> {
        let mut out = TEST.begin(payload.len());
        out.extend_from_slice(payload);
        seal(&mut out);
        out
    }

    #[test]
    fn a_sealed_header_reads_back() {
        let bytes = sealed(b"payload");
        assert_eq!(&bytes[..8], b"SOROTTST");
        assert_eq!(bytes.len(), HEADER_LEN + 7);
        let header = TEST.read_header(&bytes).unwrap().unwrap();
        assert_eq!(header.payload_len, 7);
        let mut crc = checksum_start(&bytes);
        crc.update(&bytes[HEADER_LEN..]);
        assert_eq!(crc.finalize(), header.crc);
        // The checksum covers the version, the reserved field and the length, as crc32fast sees it.
        assert_eq!(header.crc, crc32fast::hash(&[&bytes[8..20], &bytes[HEADER_LEN..]].concat()));
    }

    #[test]
    fn partial_and_wrong_headers() {
        let bytes = sealed(b"x");
        for len in 0..HEADER_LEN {
            assert_eq!(TEST.read_header(&bytes[..len]), Ok(None), "{len} bytes");
        }
        assert_eq!(TEST.read_header(b"SOROTPAK"), Err(ContainerFault::NotThisFormat));
        assert_eq!(TEST.read_header(b"<"), Err(ContainerFault::NotThisFormat));
        let mut other = bytes.clone();
        other[8] = 4;
        assert_eq!(TEST.read_header(&other), Err(ContainerFault::WrongVersion { found: 4 }));
        assert_eq!(short_header(7), ContainerFault::NotThisFormat);
        assert_eq!(short_header(8), ContainerFault::Truncated { expected: 24, found: 8 });
    }
}
