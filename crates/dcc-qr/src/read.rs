//! Reading QR codes from PNG images (and JPEG with the `jpeg` feature).

use std::io::Cursor;

use rqrr::PreparedImage;

use crate::DecodeError;

/// Largest accepted image width or height, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 8000;

/// Largest accepted image area, in pixels (64 megapixels).
pub const MAX_IMAGE_PIXELS: u64 = 64_000_000;

/// Memory budget handed to the image decoder, in bytes.
const MAX_DECODER_ALLOC: usize = 512 * 1024 * 1024;

/// Smallest image side that can hold a version 1 QR code.
const MIN_SIDE: usize = 21;

/// Decodes a PNG or JPEG image (JPEG with the `jpeg` feature, on by default) and
/// returns the text of the first QR code found in it.
///
/// The format is detected from the magic bytes. The image is first scanned
/// as is; if no code decodes, a few simple preprocessing steps are tried
/// (global Otsu binarization, white border, downscaling of large images,
/// inversion).
///
/// # Errors
///
/// * [`DecodeError::UnsupportedImageFormat`] if `bytes` is neither PNG nor JPEG;
/// * [`DecodeError::JpegNotBuiltIn`] for a JPEG when the `jpeg` feature is off;
/// * [`DecodeError::TooLarge`] if the image exceeds [`MAX_IMAGE_SIDE`] or
///   [`MAX_IMAGE_PIXELS`] (checked from the header, before any pixel is decoded);
/// * [`DecodeError::Image`] if the image data is corrupt;
/// * [`DecodeError::NoQrCode`] if no QR code was found;
/// * [`DecodeError::Unreadable`] if a QR code was found but none decoded.
pub fn read_image(bytes: &[u8]) -> Result<String, DecodeError> {
    let gray = load_gray(bytes)?;
    // Last line of defence: the third-party detector is not known to panic on the inputs we
    // pass (sizes and pixel values are checked first), but a hostile image must never unwind
    // into the caller. On targets that abort on panic this has no effect.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scan(&gray)))
        .unwrap_or(Err(DecodeError::Unreadable))
}

/// An 8-bit grayscale raster (0 = black, 255 = white), row-major.
struct Gray {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

impl Gray {
    fn get(&self, x: usize, y: usize) -> u8 {
        self.px.get(y * self.w + x).copied().unwrap_or(255)
    }
}

fn too_large(width: u32, height: u32) -> DecodeError {
    DecodeError::TooLarge {
        width,
        height,
        max_side: MAX_IMAGE_SIDE,
        max_pixels: MAX_IMAGE_PIXELS,
    }
}

fn check_size(width: u32, height: u32) -> Result<(), DecodeError> {
    if width > MAX_IMAGE_SIDE
        || height > MAX_IMAGE_SIDE
        || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
    {
        return Err(too_large(width, height));
    }
    Ok(())
}

fn load_gray(bytes: &[u8]) -> Result<Gray, DecodeError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        load_png(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        load_jpeg(bytes)
    } else {
        Err(DecodeError::UnsupportedImageFormat)
    }
}

/// PNG through the `png` crate: every colour type and bit depth, palettes and `tRNS`
/// transparency expanded, then converted to luma with Rec. 709 weights in integers (16-bit
/// samples rounded to 8 bits), within one step of the `image` crate's conversion.
fn load_png(bytes: &[u8]) -> Result<Gray, DecodeError> {
    let image_error = |e: png::DecodingError| DecodeError::Image(std::sync::Arc::new(e));
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: MAX_DECODER_ALLOC,
        },
    );
    decoder.set_transformations(png::Transformations::EXPAND);
    // The dimensions come from the header, before any pixel is decoded.
    let (width, height) = decoder.read_header_info().map_err(image_error)?.size();
    check_size(width, height)?;
    let mut reader = decoder.read_info().map_err(|e| match e {
        png::DecodingError::LimitsExceeded => too_large(width, height),
        e => image_error(e),
    })?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| too_large(width, height))?;
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf).map_err(image_error)?;
    buf.truncate(frame.buffer_size());
    let channels = frame.color_type.samples();
    let wide = frame.bit_depth == png::BitDepth::Sixteen;
    let bytes_per_pixel = channels * if wide { 2 } else { 1 };
    let sample = |p: &[u8], i: usize| -> u32 {
        if wide {
            u32::from(u16::from_be_bytes([p[2 * i], p[2 * i + 1]]))
        } else {
            u32::from(p[i])
        }
    };
    // u16 -> u8 as the `image` crate rounds it.
    let narrow = |v: u32| if wide { (v + 128) / 257 } else { v };
    let luma = |r: u32, g: u32, b: u32| (2126 * r + 7152 * g + 722 * b) / 10000;
    let px = buf
        .chunks_exact(bytes_per_pixel)
        .map(|p| {
            let (l, a) = match channels {
                1 => (sample(p, 0), None),
                2 => (sample(p, 0), Some(sample(p, 1))),
                3 => (luma(sample(p, 0), sample(p, 1), sample(p, 2)), None),
                _ => (
                    luma(sample(p, 0), sample(p, 1), sample(p, 2)),
                    Some(sample(p, 3)),
                ),
            };
            over_white(narrow(l), a.map(narrow))
        })
        .collect();
    Ok(Gray {
        w: frame.width as usize,
        h: frame.height as usize,
        px,
    })
}

/// Composites an 8-bit luma sample over white (QR codes are often drawn black on a
/// transparent background): `l * a / 255 + 255 * (255 - a) / 255`, rounded; always <= 255.
fn over_white(l: u32, alpha: Option<u32>) -> u8 {
    match alpha {
        None => l.min(255) as u8,
        Some(a) => ((l * a + 255 * (255 - a) + 127) / 255).min(255) as u8,
    }
}

#[cfg(feature = "jpeg")]
fn load_jpeg(bytes: &[u8]) -> Result<Gray, DecodeError> {
    use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits};

    // Read the header only and check the dimensions before decoding pixels.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Jpeg)
        .into_dimensions()
        .map_err(|e| DecodeError::Image(std::sync::Arc::new(e)))?;
    check_size(width, height)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Jpeg);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODER_ALLOC as u64);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        ImageError::Limits(_) => too_large(width, height),
        e => DecodeError::Image(std::sync::Arc::new(e)),
    })?;
    // JPEG has no alpha channel.
    let img = match img {
        DynamicImage::ImageLuma8(g) => g,
        other => other.into_luma8(),
    };
    Ok(Gray {
        w: img.width() as usize,
        h: img.height() as usize,
        px: img.into_raw(),
    })
}

#[cfg(not(feature = "jpeg"))]
fn load_jpeg(_: &[u8]) -> Result<Gray, DecodeError> {
    Err(DecodeError::JpegNotBuiltIn)
}

/// Outcome of one detection attempt.
#[derive(Default)]
struct Scan {
    found_grid: bool,
}

/// Runs rqrr's detector on a `PreparedImage` and returns the first grid
/// that decodes. (A macro because rqrr does not export the buffer trait
/// needed to write this as a generic function.)
macro_rules! detect_and_decode {
    ($scan:expr, $img:expr) => {{
        let mut img = $img;
        let mut result = None;
        for grid in img.detect_grids() {
            $scan.found_grid = true;
            if let Ok((_, text)) = grid.decode() {
                result = Some(text);
                break;
            }
        }
        result
    }};
}

impl Scan {
    /// Lets rqrr binarize the grayscale image itself (local adaptive threshold).
    fn try_gray(&mut self, g: &Gray) -> Option<String> {
        if g.w < MIN_SIDE || g.h < MIN_SIDE {
            return None;
        }
        detect_and_decode!(
            self,
            PreparedImage::prepare_from_greyscale(g.w, g.h, |x, y| g.get(x, y))
        )
    }

    /// Binarizes with a global `threshold` (pixels below are dark), adding a
    /// white border of `border` pixels; `invert` swaps dark and light.
    fn try_binary(
        &mut self,
        g: &Gray,
        threshold: u8,
        border: usize,
        invert: bool,
    ) -> Option<String> {
        if g.w < MIN_SIDE || g.h < MIN_SIDE {
            return None;
        }
        let (w, h) = (g.w + 2 * border, g.h + 2 * border);
        detect_and_decode!(
            self,
            PreparedImage::prepare_from_bitmap(w, h, |x, y| {
                if x < border || y < border || x >= border + g.w || y >= border + g.h {
                    false
                } else {
                    (g.get(x - border, y - border) < threshold) != invert
                }
            })
        )
    }
}

/// Global thresholds tried after Otsu's when nothing decodes. rqrr's finder
/// pattern detector is sensitive to the exact width of anti-aliased edges,
/// so images with fractional module sizes often decode only in some
/// threshold windows.
const EXTRA_THRESHOLDS: [u8; 5] = [128, 96, 160, 64, 192];

/// Images whose smaller side is at least this large are also tried
/// downscaled by 2 and 4.
const DOWNSCALE_MIN_SIDE: usize = 400;

/// Images whose darkest and lightest pixels differ by less than this are
/// considered blank.
const MIN_CONTRAST: u8 = 24;

fn scan(g: &Gray) -> Result<String, DecodeError> {
    if g.w < MIN_SIDE || g.h < MIN_SIDE {
        return Err(DecodeError::NoQrCode);
    }
    let (min, max) =
        g.px.iter()
            .fold((u8::MAX, u8::MIN), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    if max.saturating_sub(min) < MIN_CONTRAST {
        // Uniform image: nothing to find, skip the (costly) retries.
        return Err(DecodeError::NoQrCode);
    }
    let mut scan = Scan::default();
    // 1. As is, with rqrr's own local adaptive threshold.
    if let Some(text) = scan.try_gray(g) {
        return Ok(text);
    }
    // 2. Global Otsu threshold, with a white border in case the code
    //    touches the image edge.
    let otsu = otsu_threshold(&g.px);
    let border = border_for(g);
    if let Some(text) = scan.try_binary(g, otsu, border, false) {
        return Ok(text);
    }
    // 3. Downscaled copies of large images (camera photos, 1800 px renders).
    let mut current: Option<Gray> = None;
    for _ in 0..2 {
        let src = current.as_ref().unwrap_or(g);
        if src.w.min(src.h) < DOWNSCALE_MIN_SIDE {
            break;
        }
        let small = downscale2(src);
        if let Some(text) = scan.try_gray(&small) {
            return Ok(text);
        }
        if let Some(text) =
            scan.try_binary(&small, otsu_threshold(&small.px), border_for(&small), false)
        {
            return Ok(text);
        }
        current = Some(small);
    }
    // 4. Other global thresholds.
    for t in EXTRA_THRESHOLDS {
        if t.abs_diff(otsu) >= 8
            && t > min
            && t <= max
            && let Some(text) = scan.try_binary(g, t, border, false)
        {
            return Ok(text);
        }
    }
    // 5. Inverted (light code on dark background).
    if let Some(text) = scan.try_binary(g, otsu, border, true) {
        return Ok(text);
    }
    if scan.found_grid {
        Err(DecodeError::Unreadable)
    } else {
        Err(DecodeError::NoQrCode)
    }
}

/// White border added around binarized images, in pixels.
fn border_for(g: &Gray) -> usize {
    (g.w.max(g.h) / 16).max(8)
}

/// Halves both dimensions by averaging 2x2 blocks.
fn downscale2(g: &Gray) -> Gray {
    let (w, h) = (g.w / 2, g.h / 2);
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let sum = u32::from(g.get(2 * x, 2 * y))
                + u32::from(g.get(2 * x + 1, 2 * y))
                + u32::from(g.get(2 * x, 2 * y + 1))
                + u32::from(g.get(2 * x + 1, 2 * y + 1));
            px.push(((sum + 2) / 4) as u8);
        }
    }
    Gray { w, h, px }
}

/// Otsu's method: the threshold maximizing the between-class variance.
/// Returns `t` such that pixels `< t` are dark.
fn otsu_threshold(px: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &p in px {
        hist[usize::from(p)] += 1;
    }
    let total = px.len() as u64;
    if total == 0 {
        return 128;
    }
    let sum_all: u64 = hist.iter().enumerate().map(|(i, &c)| i as u64 * c).sum();
    let (mut w_b, mut sum_b) = (0u64, 0u64);
    let (mut best_t, mut best_var) = (128u8, -1.0f64);
    for (t, &count) in hist.iter().enumerate() {
        w_b += count;
        sum_b += t as u64 * count;
        let w_f = total - w_b;
        if w_b == 0 || w_f == 0 {
            continue;
        }
        let m_b = sum_b as f64 / w_b as f64;
        let m_f = (sum_all - sum_b) as f64 / w_f as f64;
        let var = w_b as f64 * w_f as f64 * (m_b - m_f) * (m_b - m_f);
        if var > best_var {
            best_var = var;
            // Dark class is 0..=t, so the "below" threshold is t + 1.
            best_t = u8::try_from(t + 1).unwrap_or(u8::MAX);
        }
    }
    best_t
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use image::{DynamicImage, ImageFormat};

    use super::load_png;

    /// The previous decoding path (the `image` crate), kept as the reference.
    fn reference(png: &[u8]) -> Vec<u8> {
        let img = image::load_from_memory_with_format(png, ImageFormat::Png).unwrap();
        if img.color().has_alpha() {
            img.into_luma_alpha8()
                .pixels()
                .map(|p| {
                    let (l, a) = (u32::from(p.0[0]), u32::from(p.0[1]));
                    ((l * a + 255 * (255 - a) + 127) / 255) as u8
                })
                .collect()
        } else {
            img.into_luma8().into_raw()
        }
    }

    /// The `image` crate converts colour to luma in floating point through its colour-space
    /// machinery; ours uses the same Rec. 709 weights in integers. They may differ by rounding,
    /// never by more than one step of 255.
    fn assert_close(ours: &[u8], theirs: &[u8], what: &str) {
        assert_eq!(ours.len(), theirs.len(), "{what}");
        let worst = ours
            .iter()
            .zip(theirs)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        assert!(worst <= 1, "{what}: differs by up to {worst}");
    }

    fn encode(img: &DynamicImage) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// Every colour type and bit depth the `image` crate writes decodes to the same luma bytes
    /// as the `image` crate itself produced, alpha composited over white included.
    #[test]
    fn png_luma_matches_the_image_crate() {
        let (w, h) = (37u32, 23u32);
        let mut state = 0x2545_F491u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let rgba16 = image::ImageBuffer::from_fn(w, h, |_, _| {
            let v = next();
            let a = if v & 3 == 0 { 0 } else { (next() >> 16) as u16 };
            image::Rgba([(v >> 16) as u16, v as u16, (next() >> 8) as u16, a])
        });
        let base = DynamicImage::ImageRgba16(rgba16);
        let variants = [
            base.clone(),
            DynamicImage::ImageRgba8(base.to_rgba8()),
            DynamicImage::ImageRgb8(base.to_rgb8()),
            DynamicImage::ImageRgb16(base.to_rgb16()),
            DynamicImage::ImageLuma8(base.to_luma8()),
            DynamicImage::ImageLuma16(base.to_luma16()),
            DynamicImage::ImageLumaA8(base.to_luma_alpha8()),
            DynamicImage::ImageLumaA16(base.to_luma_alpha16()),
        ];
        for img in &variants {
            let png = encode(img);
            let ours = load_png(&png).unwrap();
            assert_eq!((ours.w, ours.h), (w as usize, h as usize));
            assert_close(&ours.px, &reference(&png), &format!("{:?}", img.color()));
        }
    }

    /// Palettes, transparency (`tRNS`) and sub-byte depths, written with the png crate.
    #[test]
    fn png_palette_and_low_depths_match_the_image_crate() {
        let (w, h) = (19u32, 11u32);
        let write = |color, depth, data: &[u8], palette: Option<(&[u8], &[u8])>| {
            let mut out = Vec::new();
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(color);
            enc.set_depth(depth);
            if let Some((plte, trns)) = palette {
                enc.set_palette(plte.to_vec());
                enc.set_trns(trns.to_vec());
            }
            let mut writer = enc.write_header().unwrap();
            writer.write_image_data(data).unwrap();
            writer.finish().unwrap();
            out
        };
        let row_bytes = |bits: u32| (w * bits).div_ceil(8) as usize;
        let pattern = |n: usize| (0..n).map(|i| (i * 37 % 251) as u8).collect::<Vec<_>>();
        let plte: Vec<u8> = (0..16u8)
            .flat_map(|i| [i * 16, 255 - i * 16, i * 7])
            .collect();
        let trns: Vec<u8> = (0..16u8).map(|i| i * 17).collect();
        let cases = [
            write(
                png::ColorType::Grayscale,
                png::BitDepth::One,
                &pattern(row_bytes(1) * h as usize),
                None,
            ),
            write(
                png::ColorType::Grayscale,
                png::BitDepth::Four,
                &pattern(row_bytes(4) * h as usize),
                None,
            ),
            write(
                png::ColorType::Indexed,
                png::BitDepth::Four,
                &pattern(row_bytes(4) * h as usize),
                Some((&plte, &trns)),
            ),
        ];
        for png in &cases {
            assert_close(
                &load_png(png).unwrap().px,
                &reference(png),
                "palette / low depth",
            );
        }
    }
}
