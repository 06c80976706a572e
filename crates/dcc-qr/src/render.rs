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
        let size = self.size();

        // At most (177 + 128) * 64 = 19520 pixels per side: no overflow.
        let px = (size + 2 * quiet) * scale;
        let px_u32 = u32::try_from(px)
            .map_err(|_| EncodeError::Png(png::EncodingError::LimitsExceeded.into()))?;
        let row_bytes = px.div_ceil(8);

        // 1-bit grayscale: bit 1 = white, 0 = black, most significant bit first.
        let white_row = vec![0xFFu8; row_bytes];
        let mut data = Vec::with_capacity(row_bytes * px);
        for _ in 0..quiet * scale {
            data.extend_from_slice(&white_row);
        }
        let mut row = vec![0u8; row_bytes];
        for y in 0..size {
            row.copy_from_slice(&white_row);
            for (x, _) in self.row(y).iter().enumerate().filter(|(_, dark)| **dark) {
                let start = (quiet + x) * scale;
                for p in start..start + scale {
                    if let Some(byte) = row.get_mut(p / 8) {
                        *byte &= !(0x80u8 >> (p % 8));
                    }
                }
            }
            for _ in 0..scale {
                data.extend_from_slice(&row);
            }
        }
        for _ in 0..quiet * scale {
            data.extend_from_slice(&white_row);
        }

        let mut out = Vec::with_capacity(data.len() / 8 + 128);
        let mut encoder = png::Encoder::new(&mut out, px_u32, px_u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_compression(png::Compression::Fast);
        let png_err = |e: png::EncodingError| EncodeError::Png(e.into());
        let mut writer = encoder.write_header().map_err(png_err)?;
        writer.write_image_data(&data).map_err(png_err)?;
        writer.finish().map_err(png_err)?;
        Ok(out)
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
        for y in 0..self.size() {
            let row = self.row(y);
            let mut x = 0;
            while x < row.len() {
                if row.get(x).copied().unwrap_or(false) {
                    let start = x;
                    while row.get(x).copied().unwrap_or(false) {
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
