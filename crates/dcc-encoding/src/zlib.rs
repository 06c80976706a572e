//! zlib (RFC 1950) compression with a reused per-thread compressor, and capped inflation.

use std::cell::RefCell;

use flate2::{Decompress, FlushDecompress, Status};
use miniz_oxide::DataFormat;
use miniz_oxide::deflate::core::{CompressionStrategy, CompressorOxide, TDEFLFlush, TDEFLStatus};

use crate::{DecodeError, EncodeError};

/// Default cap on inflated size: 64 KiB. Real certificates inflate to 284-870 bytes.
pub const MAX_INFLATED_SIZE: usize = 64 * 1024;

thread_local! {
    // An inflater's state is 10s of KB: reused per thread like the compressor.
    static DECOMPRESSOR: RefCell<Decompress> = RefCell::new(Decompress::new(true));
    // Setting up a deflate compressor (window and hash tables) costs far more than compressing
    // a certificate, so each thread keeps one and resets it.
    static COMPRESSOR: RefCell<CompressorOxide> = RefCell::new(CompressorOxide::with_params(
        DataFormat::Zlib,
        10,
        CompressionStrategy::Fixed,
        15,
    ));
}

/// Compresses with zlib (RFC 1950): the most thorough LZ77 match search, and the fixed Huffman
/// code of RFC 1951.
///
/// A COSE structure of 350-450 bytes, a third of it signature and key identifiers, barely
/// compresses: the dynamic Huffman tables that zlib would build cost more time than the whole
/// rest of the compression and save 0-3 bytes on the official payloads. Any zlib decoder reads
/// the result.
pub fn compress(data: &[u8]) -> Result<Vec<u8>, EncodeError> {
    COMPRESSOR.with(|cell| {
        let mut c = cell.borrow_mut();
        c.reset();
        // Fixed-code worst case: about 9/8 of the input, plus header, block and trailer bytes.
        let mut out = vec![0u8; data.len() + data.len() / 8 + 64];
        let (mut consumed, mut written) = (0, 0);
        loop {
            let (status, used_in, used_out) = miniz_oxide::deflate::core::compress(
                &mut c,
                &data[consumed..],
                &mut out[written..],
                TDEFLFlush::Finish,
            );
            consumed += used_in;
            written += used_out;
            match status {
                TDEFLStatus::Done => {
                    out.truncate(written);
                    return Ok(out);
                }
                TDEFLStatus::Okay => out.resize(out.len() * 2, 0),
                other => return Err(EncodeError::Zlib(format!("deflate failed: {other:?}"))),
            }
        }
    })
}

/// Inflates zlib data, capped at [`MAX_INFLATED_SIZE`].
pub fn decompress(data: &[u8]) -> Result<Vec<u8>, DecodeError> {
    decompress_with_limit(data, MAX_INFLATED_SIZE)
}

/// Inflates zlib data, failing with [`DecodeError::TooLarge`] once the output would exceed
/// `limit` bytes. Trailing bytes after the end of the stream are rejected, and so is a stream
/// that ends early.
pub fn decompress_with_limit(data: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    if data.is_empty() {
        return Err(DecodeError::Zlib("empty input".into()));
    }
    DECOMPRESSOR.with(|cell| match cell.try_borrow_mut() {
        Ok(mut d) => {
            d.reset(true);
            inflate(&mut d, data, limit)
        }
        // Re-entered on this thread (cannot happen today): a fresh inflater.
        Err(_) => inflate(&mut Decompress::new(true), data, limit),
    })
}

fn inflate(d: &mut Decompress, data: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity((data.len() * 4).min(limit.saturating_add(1)).max(64));
    loop {
        if out.len() == out.capacity() {
            if out.len() > limit {
                return Err(DecodeError::TooLarge { limit });
            }
            let grow = out.capacity().min(limit + 1 - out.len()).max(1);
            out.reserve_exact(grow);
        }
        let consumed = d.total_in() as usize;
        let before_out = d.total_out();
        let status = d
            .decompress_vec(&data[consumed..], &mut out, FlushDecompress::None)
            .map_err(DecodeError::Inflate)?;
        if out.len() > limit {
            return Err(DecodeError::TooLarge { limit });
        }
        match status {
            Status::StreamEnd => {
                if (d.total_in() as usize) < data.len() {
                    return Err(DecodeError::Zlib(
                        "trailing data after the zlib stream".into(),
                    ));
                }
                return Ok(out);
            }
            Status::Ok | Status::BufError => {
                let progressed = d.total_out() > before_out || d.total_in() as usize > consumed;
                if !progressed && out.len() < out.capacity() {
                    return Err(DecodeError::Zlib("truncated zlib stream".into()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_reuse() {
        for n in [0usize, 1, 100, 1000, 70_000] {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            let c = compress(&data).unwrap();
            assert_eq!(c[0], 0x78, "zlib header");
            assert_eq!(decompress_with_limit(&c, 1 << 20).unwrap(), data);
            // The reused compressor gives identical output the second time.
            assert_eq!(compress(&data).unwrap(), c);
        }
    }

    #[test]
    fn rejects_bad_streams() {
        // Uncompressed COSE (tag 18 array) is not zlib.
        let err = decompress(b"\xd2\x84\x43\xa1\x01\x26").unwrap_err();
        assert!(matches!(err, DecodeError::Inflate(_)), "{err:?}");
        let source = std::error::Error::source(&err).unwrap();
        assert_eq!(err.to_string(), format!("invalid zlib data: {source}"));
        assert_eq!(err.clone(), err);
        assert!(matches!(decompress(b""), Err(DecodeError::Zlib(_))));
        let c = compress(b"hello hello hello hello").unwrap();
        // Truncated.
        assert!(matches!(
            decompress(&c[..c.len() - 3]),
            Err(DecodeError::Zlib(_))
        ));
        // Corrupt adler32.
        let mut bad = c.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0xFF;
        assert!(matches!(decompress(&bad), Err(DecodeError::Inflate(_))));
        // Trailing garbage.
        let mut trailing = c.clone();
        trailing.extend_from_slice(b"xx");
        assert!(matches!(decompress(&trailing), Err(DecodeError::Zlib(_))));
    }

    #[test]
    fn zip_bomb_is_capped() {
        let bomb = compress(&vec![0u8; 1024 * 1024]).unwrap(); // 16x the cap
        assert!(bomb.len() < 20_000);
        assert_eq!(
            decompress(&bomb),
            Err(DecodeError::TooLarge {
                limit: MAX_INFLATED_SIZE
            })
        );
        // Exactly at the limit is fine.
        let exact = compress(&vec![1u8; 1000]).unwrap();
        assert_eq!(decompress_with_limit(&exact, 1000).unwrap().len(), 1000);
        assert!(matches!(
            decompress_with_limit(&exact, 999),
            Err(DecodeError::TooLarge { .. })
        ));
    }
}
