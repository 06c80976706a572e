//! Rendering of a [`QrCode`] to PNG and SVG.

use std::fmt::Write as _;

use crate::{EncodeError, QrCode};

/// Largest accepted [`RenderOptions::scale`] for PNG output.
pub const MAX_SCALE: u32 = 64;

/// Largest accepted [`RenderOptions::quiet_zone`] for PNG output.
pub const MAX_QUIET_ZONE: u32 = 64;

/// How to render a [`QrCode`] as an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    /// Pixels per module (PNG) or user units per module (SVG width/height).
    /// Must be in `1..=`[`MAX_SCALE`] for PNG output. Default: 4.
    pub scale: u32,
    /// Width of the white border around the symbol, in modules. The QR
    /// specification requires at least 4. Must be at most
    /// [`MAX_QUIET_ZONE`] for PNG output. Default: 4.
    pub quiet_zone: u32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            scale: 4,
            quiet_zone: 4,
        }
    }
}

impl QrCode {
    /// Renders the code as a 1-bit grayscale PNG: dark modules black, light
    /// modules and the quiet zone white.
    ///
    /// The image is `(size() + 2 * quiet_zone) * scale` pixels wide and high.
    ///
    /// # Errors
    ///
    /// * [`EncodeError::InvalidScale`] if `opts.scale` is 0 or above
    ///   [`MAX_SCALE`];
    /// * [`EncodeError::InvalidQuietZone`] if `opts.quiet_zone` is above
    ///   [`MAX_QUIET_ZONE`];
    /// * [`EncodeError::Png`] if the PNG encoder fails (not expected).
    pub fn to_png(&self, opts: &RenderOptions) -> Result<Vec<u8>, EncodeError> {
        let scale = opts.scale;
        if !(1..=MAX_SCALE).contains(&scale) {
            return Err(EncodeError::InvalidScale {
                scale,
                max: MAX_SCALE,
            });
        }
        let quiet = opts.quiet_zone;
        if quiet > MAX_QUIET_ZONE {
            return Err(EncodeError::InvalidQuietZone {
                quiet_zone: quiet,
                max: MAX_QUIET_ZONE,
            });
        }
        let scale = scale as usize;
        let quiet = quiet as usize;
        // At most (177 + 128) * 64 = 19520 pixels per side: no overflow.
        let px = (self.size() + 2 * quiet) * scale;
        let px_u32 = u32::try_from(px)
            .map_err(|_| EncodeError::Png(png::EncodingError::LimitsExceeded.into()))?;
        let data = self.bitmap(scale, quiet);

        let mut out = Vec::with_capacity(data.len() / 16 + 128);
        let mut encoder = png::Encoder::new(&mut out, px_u32, px_u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        // Measured in crates/dcc-qr/README.md ("PNG settings"): fdeflate with the Up filter is
        // the fastest setting and, as the `scale` copies of a row filter to zeros, also about
        // as small as zlib level 9.
        encoder.set_deflate_compression(png::DeflateCompression::FdeflateUltraFast);
        encoder.set_filter(png::Filter::Up);
        let png_err = |e: png::EncodingError| EncodeError::Png(e.into());
        let mut writer = encoder.write_header().map_err(png_err)?;
        writer.write_image_data(&data).map_err(png_err)?;
        writer.finish().map_err(png_err)?;
        Ok(out)
    }

    /// The 1-bit image, rows of `ceil(px / 8)` bytes (bit 1 = white, 0 = black, most
    /// significant bit first), `px = (size + 2 * quiet) * scale`.
    pub(crate) fn bitmap(&self, scale: usize, quiet: usize) -> Vec<u8> {
        let size = self.size();
        let px = (size + 2 * quiet) * scale;
        let row_bytes = px.div_ceil(8);
        let mut data = vec![0xFFu8; row_bytes * px];
        let mut row = vec![0xFFu8; row_bytes];
        let top = quiet * scale * row_bytes;
        for y in 0..size {
            row.fill(0xFF);
            let bits = self.row(y);
            // Runs of dark modules, found a word at a time: clear their pixels a byte at a time.
            let mut x = 0;
            while let Some(start) = bits.next_one(x) {
                let end = (!bits).next_one(start).unwrap_or(size).min(size);
                clear_bits(&mut row, (quiet + start) * scale, (quiet + end) * scale);
                x = end;
            }
            let at = top + y * scale * row_bytes;
            if let Some(dst) = data.get_mut(at..at + scale * row_bytes) {
                for chunk in dst.chunks_exact_mut(row_bytes) {
                    chunk.copy_from_slice(&row);
                }
            }
        }
        data
    }

    /// Renders the code as a compact SVG document.
    ///
    /// The `viewBox` is expressed in modules (including the quiet zone), and
    /// `width`/`height` are `modules * scale` (a `scale` of 0 is treated as
    /// 1). The output contains a white background `<rect>` and a single black
    /// `<path>` with one `M x y h{n}v1h-{n}z` sub-path per horizontal run of
    /// dark modules, rendered with `shape-rendering="crispEdges"`.
    pub fn to_svg(&self, opts: &RenderOptions) -> String {
        let size = self.size() as u64;
        let quiet = u64::from(opts.quiet_zone);
        let modules = size + 2 * quiet;
        let dim = modules * u64::from(opts.scale.max(1));

        let mut svg = String::with_capacity(self.size() * self.size() / 2 + 300);
        // Writing to a String cannot fail.
        let _ = write!(
            svg,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
             width=\"{dim}\" height=\"{dim}\" viewBox=\"0 0 {modules} {modules}\" \
             shape-rendering=\"crispEdges\">\
             <rect width=\"{modules}\" height=\"{modules}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\""
        );
        let size = self.size();
        for y in 0..size {
            let row = self.row(y);
            let mut x = 0;
            while x < size {
                if row.get(x) {
                    let start = x;
                    while x < size && row.get(x) {
                        x += 1;
                    }
                    let run = x - start;
                    let _ = write!(
                        svg,
                        "M{} {}h{run}v1h-{run}z",
                        start as u64 + quiet,
                        y as u64 + quiet
                    );
                } else {
                    x += 1;
                }
            }
        }
        svg.push_str("\"/></svg>\n");
        svg
    }
}

/// Clears bits `from..to` of `row` (most significant bit of a byte first).
fn clear_bits(row: &mut [u8], from: usize, to: usize) {
    let mut p = from;
    while p < to {
        let Some(byte) = row.get_mut(p / 8) else {
            return;
        };
        let offset = p % 8;
        let n = (8 - offset).min(to - p);
        // n bits starting at bit `offset` from the top.
        let mask = ((0xFFu16 << (8 - n)) as u8) >> offset;
        *byte &= !mask;
        p += n;
    }
}
