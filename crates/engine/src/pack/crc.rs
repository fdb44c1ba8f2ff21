//! CRC-32 (ISO-HDLC: the zlib / PNG / `crc32fast` checksum) of packs and models.
//!
//! Slice-by-16, like `crc32fast`'s portable code, but with its 16 KiB of tables built on first use
//! rather than stored in the binary: the browser bundle is size-bound (issue #6), and building them
//! takes microseconds.

use std::sync::OnceLock;

/// The reflected polynomial of CRC-32/ISO-HDLC.
const POLY: u32 = 0xEDB8_8320;

/// A running CRC-32: feed bytes with [`Crc32::update`], read the checksum with [`Crc32::finalize`].
#[derive(Clone)]
pub(crate) struct Crc32 {
    state: u32,
    tables: &'static [[u32; 256]; 16],
}

impl Crc32 {
    pub(crate) fn new() -> Crc32 {
        Crc32 { state: !0, tables: tables() }
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        let t = self.tables;
        let mut crc = self.state;
        let mut chunks = bytes.chunks_exact(16);
        for c in &mut chunks {
            // The terms that do not depend on `crc` first, so they overlap with the previous block.
            let data = t[0][c[15] as usize]
                ^ t[1][c[14] as usize]
                ^ t[2][c[13] as usize]
                ^ t[3][c[12] as usize]
                ^ t[4][c[11] as usize]
                ^ t[5][c[10] as usize]
                ^ t[6][c[9] as usize]
                ^ t[7][c[8] as usize]
                ^ t[8][c[7] as usize]
                ^ t[9][c[6] as usize]
                ^ t[10][c[5] as usize]
                ^ t[11][c[4] as usize];
            let w = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            crc = data
                ^ t[12][(w >> 24) as usize]
                ^ t[13][((w >> 16) & 0xFF) as usize]
                ^ t[14][((w >> 8) & 0xFF) as usize]
                ^ t[15][(w & 0xFF) as usize];
        }
        for &b in chunks.remainder() {
            crc = (crc >> 8) ^ t[0][((crc ^ u32::from(b)) & 0xFF) as usize];
        }
        self.state = crc;
    }

    pub(crate) fn finalize(self) -> u32 {
        !self.state
    }
}

fn tables() -> &'static [[u32; 256]; 16] {
    static TABLES: OnceLock<Box<[[u32; 256]; 16]>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 16]);
        for i in 0..256 {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ POLY } else { c >> 1 };
            }
            t[0][i] = c;
        }
        for k in 1..16 {
            for i in 0..256 {
                let previous = t[k - 1][i];
                t[k][i] = (previous >> 8) ^ t[0][(previous & 0xFF) as usize];
            }
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crc(bytes: &[u8]) -> u32 {
        let mut h = Crc32::new();
        h.update(bytes);
        h.finalize()
    }

    /// A small deterministic generator (xorshift64*), enough for test data.
    fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
            })
            .collect()
    }

    #[test]
    fn check_value() {
        assert_eq!(crc(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc(b""), 0);
    }

    #[test]
    fn equals_crc32fast_on_random_data_and_splits() {
        let data = random_bytes(100_000, 0x5EED);
        for len in (0..64).chain([255, 256, 1000, 4097, 100_000]) {
            let bytes = &data[..len];
            assert_eq!(crc(bytes), crc32fast::hash(bytes), "length {len}");
            for split in [0, 1, 3, 7, 8, 9, len / 2].into_iter().filter(|&s| s <= len) {
                let mut h = Crc32::new();
                h.update(&bytes[..split]);
                h.update(&bytes[split..]);
                assert_eq!(h.finalize(), crc32fast::hash(bytes), "length {len} split {split}");
            }
        }
    }

    /// Throughput against crc32fast: `cargo test -p sorot-engine --release crc_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn crc_speed() {
        use std::time::Instant;
        let data = random_bytes(64 << 20, 7);
        let mb = data.len() as f64 / 1e6;
        for _ in 0..2 {
            let start = Instant::now();
            let ours = crc(&data);
            let ours_s = start.elapsed().as_secs_f64();
            // crc32fast's table code (slice-by-16): what it runs in wasm and on CPUs without PCLMULQDQ.
            let start = Instant::now();
            let mut baseline = crc32fast::Hasher::internal_new_baseline(0, 0);
            baseline.update(&data);
            let baseline = baseline.finalize();
            let baseline_s = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let best = crc32fast::hash(&data);
            let best_s = start.elapsed().as_secs_f64();
            assert_eq!((ours, ours), (baseline, best));
            println!(
                "slice-by-16 (runtime tables): {:.0} MB/s; crc32fast slice-by-16: {:.0} MB/s; crc32fast best: {:.0} MB/s",
                mb / ours_s,
                mb / baseline_s,
                mb / best_s
            );
        }
    }
}
