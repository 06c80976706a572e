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
/// The format is detected from the magic bytes. A code that fills the image (upright or
/// turned a few degrees, any module size from 1 pixel, with or without a quiet zone, light
/// on dark too) is sampled directly; otherwise rqrr's detector runs with retries in a fixed,
/// bounded order (thresholds, enlarging small images, halving large ones, inversion), at
/// most 14 detector passes. The crate's README lists the order and the measured costs.
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

/// Outcome of the detection attempts so far.
#[derive(Default)]
struct Scan {
    found_grid: bool,
    /// Corners (top-left, top-right, bottom-right, bottom-left, in pixels of the original
    /// image) and size in modules of up to [`MAX_LOCATED`] grids rqrr located but could not
    /// decode.
    located: Vec<([(f32, f32); 4], usize)>,
}

/// The most work rqrr's detector may do per pass, in pixels repainted or copied per pixel of
/// the image (vendor/rqrr: `set_work_budget`). Real images need at most about 40 (the
/// robustness corpus and the official vectors; see tests/robustness.rs); images of noise
/// otherwise cost seconds to minutes per pass.
const DETECTOR_WORK_PER_PIXEL: u64 = 16;

/// Grids kept for resampling (each costs one sampling pass and one decoding).
const MAX_LOCATED: usize = 3;

/// Runs rqrr's detector on a `PreparedImage` and returns the first grid
/// that decodes. (A macro because rqrr does not export the buffer trait
/// needed to write this as a generic function.)
///
/// `$offset` and `$scale` map the prepared image's pixels back to the original's (a border
/// added, an enlargement): the corners of grids that do not decode are kept for
/// [`resample`].
macro_rules! detect_and_decode {
    ($scan:expr, $img:expr, $offset:expr, $scale:expr) => {{
        let mut img = $img;
        let pixels = (img.width() * img.height()) as u64;
        img.set_work_budget(pixels.saturating_mul(DETECTOR_WORK_PER_PIXEL));
        let mut result = None;
        for grid in img.detect_grids() {
            $scan.found_grid = true;
            if let Ok((_, text)) = grid.decode() {
                result = Some(text);
                break;
            }
            if $scan.located.len() < MAX_LOCATED {
                let corner = |i: usize| {
                    (
                        (grid.bounds[i].x as f32 - $offset as f32) / $scale,
                        (grid.bounds[i].y as f32 - $offset as f32) / $scale,
                    )
                };
                $scan.located.push((
                    [corner(0), corner(1), corner(2), corner(3)],
                    rqrr::BitGrid::size(&grid.grid),
                ));
            }
        }
        result
    }};
}

impl Scan {
    /// Lets rqrr binarize the grayscale image itself (local adaptive threshold).
    /// `scale`: how many times `g` is larger than the original image.
    fn try_gray(&mut self, g: &Gray, scale: f32) -> Option<String> {
        if g.w < MIN_SIDE || g.h < MIN_SIDE {
            return None;
        }
        detect_and_decode!(
            self,
            PreparedImage::prepare_from_greyscale(g.w, g.h, |x, y| g.get(x, y)),
            0,
            scale
        )
    }

    /// Binarizes with a global `threshold` (pixels below are dark), adding a
    /// white border of `border` pixels; `invert` swaps dark and light.
    /// `scale`: how many times `g` is larger than the original image.
    fn try_binary(
        &mut self,
        g: &Gray,
        scale: f32,
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
            }),
            border,
            scale
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

/// Images of at most this many pixels (4 megapixels) are also read binarized by the local
/// mean in step 0 (its integral image takes 4 bytes a pixel).
const LOCAL_MAX_PIXELS: usize = 1 << 22;

/// Images up to this many pixels on their longer side are also tried enlarged twice.
const UPSCALE_MAX_SIDE: usize = 600;

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
    let otsu = otsu_threshold(&g.px);
    // 0. A code filling the image's ink, upright or turned a few degrees (what renderers,
    //    screenshots and flatbed scans produce): sampled module by module here, at any
    //    module size from 1 pixel, without the ~15 ms of rqrr's perspective fitting.
    for invert in [false, true] {
        if let Some(text) = read_direct(g, otsu, invert) {
            return Ok(text);
        }
    }
    // The same on a local threshold, for uneven light (photos of screens, shadows).
    let margin = (max - min) / 8;
    if g.w * g.h <= LOCAL_MAX_PIXELS
        && let Some(text) = read_direct(&local_threshold(g, margin), 128, false)
    {
        return Ok(text);
    }
    let mut scan = Scan::default();
    // 1. rqrr as is, with its own local adaptive threshold.
    if let Some(text) = scan.try_gray(g, 1.0) {
        return Ok(text);
    }
    // 2. Global Otsu threshold, with a white border in case the code touches the image edge.
    let border = border_for(g);
    if let Some(text) = scan.try_binary(g, 1.0, otsu, border, false) {
        return Ok(text);
    }
    // 3. The grids rqrr located but could not decode, sampled again from the grey levels.
    if let Some(text) = scan.resample(g, otsu) {
        return Ok(text);
    }
    // 4. Small images enlarged twice (bilinear): rqrr's finder-pattern detector misses
    //    anti-aliased patterns of 1.5-3.5 pixel modules, that rotation smears further.
    if g.w.max(g.h) <= UPSCALE_MAX_SIDE {
        let big = upscale2(g);
        if let Some(text) = scan.try_gray(&big, 2.0) {
            return Ok(text);
        }
        let local = local_threshold(&big, margin);
        if let Some(text) = scan.try_binary(&local, 2.0, 128, border_for(&big), false) {
            return Ok(text);
        }
        if let Some(text) = scan.resample(g, otsu) {
            return Ok(text);
        }
    }
    // 5. Downscaled copies of large images (camera photos, 1800 px renders).
    let mut current: Option<Gray> = None;
    let mut scale = 1.0;
    for _ in 0..2 {
        let src = current.as_ref().unwrap_or(g);
        if src.w.min(src.h) < DOWNSCALE_MIN_SIDE {
            break;
        }
        let small = downscale2(src);
        scale /= 2.0;
        if let Some(text) = scan.try_gray(&small, scale) {
            return Ok(text);
        }
        let (t, b) = (otsu_threshold(&small.px), border_for(&small));
        if let Some(text) = scan.try_binary(&small, scale, t, b, false) {
            return Ok(text);
        }
        current = Some(small);
    }
    // 6. Other global thresholds.
    for t in EXTRA_THRESHOLDS {
        if t.abs_diff(otsu) >= 8
            && t > min
            && t <= max
            && let Some(text) = scan.try_binary(g, 1.0, t, border, false)
        {
            return Ok(text);
        }
    }
    // 7. Inverted (light code on dark background).
    if let Some(text) = scan.try_binary(g, 1.0, otsu, border, true) {
        return Ok(text);
    }
    if let Some(text) = scan.resample(g, otsu) {
        return Ok(text);
    }
    if scan.found_grid {
        Err(DecodeError::Unreadable)
    } else {
        Err(DecodeError::NoQrCode)
    }
}

impl Scan {
    /// Reads the grids located so far (and not tried yet) again: first [`read_direct`] on
    /// the code cut out of `g` (binarized at `threshold`); then sampled from the grey levels,
    /// each module's centre by bilinear interpolation through the projective map of the
    /// grid's corners as rqrr placed them, then as [`finder_quad`] places them; dark below
    /// the mean of the 7 x 7 modules around it (which follows uneven light), then below
    /// Otsu's threshold of the module values.
    fn resample(&mut self, g: &Gray, threshold: u8) -> Option<String> {
        let dark = |x: usize, y: usize| x < g.w && y < g.h && g.get(x, y) < threshold;
        for (corners, size) in std::mem::take(&mut self.located) {
            if !(21..=177).contains(&size) {
                continue;
            }
            // rqrr's corners are those of a (size + 1)-module square.
            let rqrr_map = Homography::square_to(corners, (size + 1) as f32);
            let side = ((corners[1].0 - corners[0].0).powi(2)
                + (corners[1].1 - corners[0].1).powi(2))
            .sqrt();
            // Then the corners placed from the finder patterns' centres.
            let refined = finder_quad(&rqrr_map, size, side / (size + 1) as f32, (g.w, g.h), &dark)
                .map(|quad| Homography::square_to(quad, size as f32));
            // The direct sampling on the located code cut out with 2 modules of margin (its
            // quiet zone keeps the rest of the page's ink out).
            let margin = 2.0 * side / (size + 1) as f32;
            let clamp = |v: f32, n: usize| (v.max(0.0) as usize).min(n);
            let xs = corners.iter().map(|c| c.0);
            let ys = corners.iter().map(|c| c.1);
            let (x0, x1) = (
                clamp(xs.clone().fold(f32::MAX, f32::min) - margin, g.w),
                clamp(xs.fold(f32::MIN, f32::max) + margin + 1.0, g.w),
            );
            let (y0, y1) = (
                clamp(ys.clone().fold(f32::MAX, f32::min) - margin, g.h),
                clamp(ys.fold(f32::MIN, f32::max) + margin + 1.0, g.h),
            );
            if x1 > x0 && y1 > y0 && (x1 - x0, y1 - y0) != (g.w, g.h) {
                let crop = Gray {
                    w: x1 - x0,
                    h: y1 - y0,
                    px: (y0..y1)
                        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
                        .map(|(x, y)| g.get(x, y))
                        .collect(),
                };
                if let Some(text) = read_direct(&crop, threshold, false) {
                    return Some(text);
                }
            }
            for map in std::iter::once(rqrr_map).chain(refined) {
                let values: Vec<u8> = (0..size * size)
                    .map(|i| {
                        let (x, y) = map.apply((i % size) as f32 + 0.5, (i / size) as f32 + 0.5);
                        bilinear(g, x, y)
                    })
                    .collect();
                let local = local_mean_modules(&values, size, 3);
                let otsu = otsu_threshold(&values);
                let by_local = values.iter().zip(&local).map(|(&v, &m)| v < m).collect();
                let by_otsu = values.iter().map(|&v| v < otsu).collect();
                for dark in [by_local, by_otsu] {
                    if let Ok((_, text)) = rqrr::Grid::new(Sampled { size, dark }).decode() {
                        return Some(text);
                    }
                }
            }
        }
        None
    }
}

/// The projective map of the unit square scaled to `side` onto a quadrilateral
/// (Heckbert's closed form).
struct Homography([f32; 8]);

impl Homography {
    fn square_to(q: [(f32, f32); 4], side: f32) -> Self {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
        let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
        let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
        let det = dx1 * dy2 - dx2 * dy1;
        let (gx, hy) = if det.abs() < f32::EPSILON {
            (0.0, 0.0)
        } else {
            ((dx3 * dy2 - dx2 * dy3) / det, (dx1 * dy3 - dx3 * dy1) / det)
        };
        let s = 1.0 / side;
        Homography([
            (x1 - x0 + gx * x1) * s,
            (x3 - x0 + hy * x3) * s,
            x0,
            (y1 - y0 + gx * y1) * s,
            (y3 - y0 + hy * y3) * s,
            y0,
            gx * s,
            hy * s,
        ])
    }

    fn apply(&self, u: f32, v: f32) -> (f32, f32) {
        let [a, b, c, d, e, f, gx, hy] = self.0;
        let w = gx * u + hy * v + 1.0;
        ((a * u + b * v + c) / w, (d * u + e * v + f) / w)
    }
}

/// Grey level at a point (pixel centres at half-integers), white outside the image.
fn bilinear(g: &Gray, x: f32, y: f32) -> u8 {
    let (x, y) = (x - 0.5, y - 0.5);
    if !(x >= -1.0 && y >= -1.0 && x < g.w as f32 && y < g.h as f32) {
        return 255;
    }
    let (fx, fy) = (x - x.floor(), y - y.floor());
    let (x0, y0) = (x.floor() as isize, y.floor() as isize);
    let at = |x: isize, y: isize| -> f32 {
        if x < 0 || y < 0 || x as usize >= g.w || y as usize >= g.h {
            255.0
        } else {
            f32::from(g.get(x as usize, y as usize))
        }
    };
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8
}

/// Mean of the (2 r + 1)^2 module values around each module (fewer at the edges).
fn local_mean_modules(values: &[u8], size: usize, r: usize) -> Vec<u8> {
    (0..size * size)
        .map(|i| {
            let (x, y) = (i % size, i / size);
            let (mut sum, mut n) = (0u32, 0u32);
            for yy in y.saturating_sub(r)..(y + r + 1).min(size) {
                for xx in x.saturating_sub(r)..(x + r + 1).min(size) {
                    sum += u32::from(values.get(yy * size + xx).copied().unwrap_or(255));
                    n += 1;
                }
            }
            (sum / n.max(1)) as u8
        })
        .collect()
}

/// Module values sampled from an image, for rqrr's decoder.
struct Sampled {
    size: usize,
    dark: Vec<bool>,
}

impl rqrr::BitGrid for Sampled {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.dark.get(y * self.size + x).copied().unwrap_or(false)
    }
}

/// Whether the module at (`x`, `y`) of a `size`-module symbol belongs to a finder pattern
/// and is dark there (`Some(dark)`), or to the timing patterns (`Some(dark)` too), or is
/// anything else (`None`).
fn expected_module(size: usize, x: usize, y: usize) -> Option<bool> {
    let finder = |fx: usize, fy: usize| {
        let (dx, dy) = (x.abs_diff(fx + 3), y.abs_diff(fy + 3));
        (dx <= 3 && dy <= 3).then_some(dx.max(dy) != 2)
    };
    finder(0, 0)
        .or_else(|| finder(size - 7, 0))
        .or_else(|| finder(0, size - 7))
        .or_else(|| {
            ((y == 6 && (8..size - 8).contains(&x)) || (x == 6 && (8..size - 8).contains(&y)))
                .then_some((x + y).is_multiple_of(2))
        })
}

/// Longest dark run along a line of pixels.
fn longest_run(line: impl Iterator<Item = bool>) -> usize {
    let (mut best, mut run) = (0, 0);
    for dark in line {
        run = if dark { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Reads a code that fills the image's ink, upright or turned by a few degrees (what
/// renderers, screenshots and flatbed scans produce), without rqrr's detector: see
/// [`ink_box`] and [`ink_corners`] for the code's outline, [`read_quad`] for the rest.
/// Codes in cluttered images fail here after a few linear passes over the image and go
/// to rqrr.
fn read_direct(g: &Gray, threshold: u8, invert: bool) -> Option<String> {
    // Outside the image is light.
    let dark = |x: usize, y: usize| x < g.w && y < g.h && (g.get(x, y) < threshold) != invert;
    let upright = ink_box(g, &dark)?;
    if let Some(text) = read_quad(upright, (g.w, g.h), &dark) {
        return Some(text);
    }
    // Turned: the corners are the extremes of the ink along the diagonals.
    let turned = ink_corners(&dark, upright)?;
    read_quad(turned, (g.w, g.h), &dark)
}

/// The bounding box of the ink as corners (top-left, top-right, bottom-right, bottom-left,
/// on pixel edges): the rows and columns with a dark run of 3 pixels or more (single
/// specks of noise do not count).
fn ink_box(g: &Gray, dark: &impl Fn(usize, usize) -> bool) -> Option<[(f32, f32); 4]> {
    let inked_row = |y: usize| longest_run((0..g.w).map(|x| dark(x, y))) >= 3;
    let inked_col = |x: usize| longest_run((0..g.h).map(|y| dark(x, y))) >= 3;
    let top = (0..g.h).find(|&y| inked_row(y))?;
    let bottom = (top..g.h).rev().find(|&y| inked_row(y))? + 1;
    let left = (0..g.w).find(|&x| inked_col(x))?;
    let right = (left..g.w).rev().find(|&x| inked_col(x))? + 1;
    let (l, t, r, b) = (left as f32, top as f32, right as f32, bottom as f32);
    Some([(l, t), (r, t), (r, b), (l, b)])
}

/// The corners of a turned square of ink inside `bounds`: the dark pixels (with a dark
/// neighbour across and along, so not a speck) furthest along each diagonal direction.
fn ink_corners(
    dark: &impl Fn(usize, usize) -> bool,
    bounds: [(f32, f32); 4],
) -> Option<[(f32, f32); 4]> {
    let (x0, y0) = (bounds[0].0 as usize, bounds[0].1 as usize);
    let (x1, y1) = (bounds[2].0 as usize, bounds[2].1 as usize);
    let ink = |x: usize, y: usize| {
        dark(x, y)
            && ((x > x0 && dark(x - 1, y)) || (x + 1 < x1 && dark(x + 1, y)))
            && ((y > y0 && dark(x, y - 1)) || (y + 1 < y1 && dark(x, y + 1)))
    };
    // Best (score, x, y) for: x + y small, x - y large, x + y large, y - x large.
    let mut best = [(i64::MIN, 0usize, 0usize); 4];
    let mut found = false;
    for y in y0..y1 {
        for x in x0..x1 {
            if !ink(x, y) {
                continue;
            }
            found = true;
            let (xi, yi) = (x as i64, y as i64);
            for (slot, score) in best.iter_mut().zip([-xi - yi, xi - yi, xi + yi, yi - xi]) {
                if score > slot.0 {
                    *slot = (score, x, y);
                }
            }
        }
    }
    if !found {
        return None;
    }
    let corner =
        |i: usize, dx: usize, dy: usize| ((best[i].1 + dx) as f32, (best[i].2 + dy) as f32);
    Some([
        corner(0, 0, 0),
        corner(1, 1, 0),
        corner(2, 1, 1),
        corner(3, 0, 1),
    ])
}

/// Reads the code whose outer corners are `quad` (top-left, top-right, bottom-right,
/// bottom-left): the version from the finder and timing patterns sampled at each candidate
/// size (at most 5 % of those modules wrong, the best two tried), then every module sampled
/// at its centre and the grid decoded by rqrr.
fn read_quad(
    quad: [(f32, f32); 4],
    bounds: (usize, usize),
    dark: &impl Fn(usize, usize) -> bool,
) -> Option<String> {
    let edge = |a: (f32, f32), b: (f32, f32)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let (top, left) = (edge(quad[0], quad[1]), edge(quad[0], quad[3]));
    let side = top.min(left);
    if side < MIN_SIDE as f32 || (top - left).abs() > 2.0 + side / 20.0 {
        return None;
    }
    let at = |map: &Homography, x: usize, y: usize| {
        let (px, py) = map.apply(x as f32 + 0.5, y as f32 + 0.5);
        px >= 0.0 && py >= 0.0 && dark(px as usize, py as usize)
    };
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for version in 1..=40 {
        let size = 17 + 4 * version;
        if side < 0.9 * size as f32 {
            // Less than 0.9 pixels per module.
            break;
        }
        let map = Homography::square_to(quad, size as f32);
        let (mut checked, mut wrong) = (0, 0);
        for y in 0..size {
            let xs: &mut dyn Iterator<Item = usize> = if y < 7 || y >= size - 7 {
                &mut (0..size)
            } else {
                &mut [6].into_iter()
            };
            for x in xs {
                if let Some(expect) = expected_module(size, x, y) {
                    checked += 1;
                    wrong += usize::from(at(&map, x, y) != expect);
                }
            }
        }
        if wrong * 20 <= checked {
            candidates.push((wrong * 1000 / checked.max(1), version));
        }
    }
    candidates.sort_unstable();
    for &(_, version) in candidates.iter().take(2) {
        let size = 17 + 4 * version;
        let mut map = Homography::square_to(quad, size as f32);
        // As outlined, then with the corners placed from the finder patterns' centres.
        for refine in [false, true] {
            if refine {
                let Some(refined) = finder_quad(&map, size, side / size as f32, bounds, dark)
                else {
                    break;
                };
                map = Homography::square_to(refined, size as f32);
            }
            let modules = (0..size * size)
                .map(|i| at(&map, i % size, i / size))
                .collect();
            let grid = rqrr::Grid::new(Sampled {
                size,
                dark: modules,
            });
            if let Ok((_, text)) = grid.decode() {
                return Some(text);
            }
        }
    }
    None
}

/// The outer corners of a `size`-module code from the centres of its three finder patterns:
/// each the centroid of the dark pixels within 2 modules of where `map` puts it (the 3 x 3
/// core; the light ring around it keeps the outer ring out), four times over; the code is then
/// the parallelogram they span. Hundreds of pixels per centroid place the corners to a
/// fraction of a pixel, where the ink's outline is off by a pixel or two once blurred.
fn finder_quad(
    map: &Homography,
    size: usize,
    module: f32,
    (w, h): (usize, usize),
    dark: &impl Fn(usize, usize) -> bool,
) -> Option<[(f32, f32); 4]> {
    let far = size as f32 - 3.5;
    let mut centres = [(0.0f32, 0.0f32); 3];
    for (centre, (u, v)) in centres.iter_mut().zip([(3.5, 3.5), (far, 3.5), (3.5, far)]) {
        let mut c = map.apply(u, v);
        for _ in 0..4 {
            let r = 2.0 * module;
            if !(c.0.is_finite() && c.1.is_finite() && r.is_finite()) {
                return None;
            }
            // Within the image (the cast saturates): at most its pixels.
            let clamp = |v: f32, n: usize| (v.max(0.0) as usize).min(n.saturating_sub(1));
            let (x0, x1) = (clamp(c.0 - r, w), clamp(c.0 + r, w));
            let (y0, y1) = (clamp(c.1 - r, h), clamp(c.1 + r, h));
            let (mut sx, mut sy, mut n) = (0.0f64, 0.0f64, 0u32);
            for y in y0..=y1 {
                for x in x0..=x1 {
                    if dark(x, y) {
                        sx += x as f64 + 0.5;
                        sy += y as f64 + 0.5;
                        n += 1;
                    }
                }
            }
            if n == 0 {
                return None;
            }
            c = ((sx / f64::from(n)) as f32, (sy / f64::from(n)) as f32);
        }
        *centre = c;
    }
    let [tl, tr, bl] = centres;
    let span = size as f32 - 7.0;
    let ex = ((tr.0 - tl.0) / span, (tr.1 - tl.1) / span);
    let ey = ((bl.0 - tl.0) / span, (bl.1 - tl.1) / span);
    let n = size as f32;
    let o = (tl.0 - 3.5 * (ex.0 + ey.0), tl.1 - 3.5 * (ex.1 + ey.1));
    Some([
        o,
        (o.0 + n * ex.0, o.1 + n * ex.1),
        (o.0 + n * (ex.0 + ey.0), o.1 + n * (ex.1 + ey.1)),
        (o.0 + n * ey.0, o.1 + n * ey.1),
    ])
}

/// White border added around binarized images, in pixels.
fn border_for(g: &Gray) -> usize {
    (g.w.max(g.h) / 16).max(8)
}

/// Doubles both dimensions with bilinear interpolation (pixel centres aligned).
fn upscale2(g: &Gray) -> Gray {
    let (w, h) = (2 * g.w, 2 * g.h);
    // Source position of output pixel i: (i + 0.5) / 2 - 0.5, in quarters 2 i - 1: the pixel
    // at a quarter's floor and the next one, with the remainder in quarters as the weight.
    let coord = |i: usize, n: usize| -> (usize, usize, u32) {
        if i == 0 {
            return (0, 0, 0);
        }
        let q = 2 * i - 1;
        let base = (q / 4).min(n - 1);
        (base, (base + 1).min(n - 1), (q % 4) as u32)
    };
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        let (y0, y1, fy) = coord(y, g.h);
        for x in 0..w {
            let (x0, x1, fx) = coord(x, g.w);
            let top = u32::from(g.get(x0, y0)) * (4 - fx) + u32::from(g.get(x1, y0)) * fx;
            let bottom = u32::from(g.get(x0, y1)) * (4 - fx) + u32::from(g.get(x1, y1)) * fx;
            px.push(((top * (4 - fy) + bottom * fy + 8) / 16).min(255) as u8);
        }
    }
    Gray { w, h, px }
}

/// Binarizes by the mean of a window around each pixel (an integral image): dark (0) where
/// a pixel is darker than its surroundings' mean less `margin` (which keeps the noise of
/// flat light areas light), light (255) elsewhere.
/// The window spans about an eighth of the image, a few modules of any code filling it.
fn local_threshold(g: &Gray, margin: u8) -> Gray {
    let (w, h) = (g.w, g.h);
    let r = (w.min(h) / 16).max(4);
    let mut sum = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row = row.wrapping_add(u32::from(g.get(x, y)));
            sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1].wrapping_add(row);
        }
    }
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            // Modulo 2^32, exact: a window holds less than 2^32 / 255 pixels.
            let total = sum[y1 * (w + 1) + x1]
                .wrapping_add(sum[y0 * (w + 1) + x0])
                .wrapping_sub(sum[y0 * (w + 1) + x1])
                .wrapping_sub(sum[y1 * (w + 1) + x0]);
            let n = ((x1 - x0) * (y1 - y0)) as u64;
            let total = u64::from(total);
            // Dark when p < mean - margin: (p + margin) n < total.
            let dark = (u64::from(g.get(x, y)) + u64::from(margin)) * n < total;
            px.push(if dark { 0 } else { 255 });
        }
    }
    Gray { w, h, px }
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

    use super::{Gray, Homography, load_png, local_threshold, upscale2};

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

    /// The projective map sends the square's corners to the quadrilateral's and its centre
    /// to the intersection of the quadrilateral's diagonals.
    #[test]
    fn homography_maps_square_onto_quad() {
        let quad = [(10.0, 20.0), (110.0, 5.0), (130.0, 140.0), (0.0, 100.0)];
        let map = Homography::square_to(quad, 50.0);
        for ((u, v), want) in [(0.0, 0.0), (50.0, 0.0), (50.0, 50.0), (0.0, 50.0)]
            .into_iter()
            .zip(quad)
        {
            let got = map.apply(u, v);
            assert!((got.0 - want.0).abs() < 1e-3 && (got.1 - want.1).abs() < 1e-3);
        }
        // Diagonals (10,20)-(130,140): y = x + 10; (110,5)-(0,100): y = 100 - 95 x / 110.
        let x = 90.0 / (1.0 + 95.0 / 110.0);
        let got = map.apply(25.0, 25.0);
        assert!(
            (got.0 - x).abs() < 1e-2 && (got.1 - (x + 10.0)).abs() < 1e-2,
            "{got:?}"
        );
    }

    /// Enlarging twice interpolates between pixel centres: a quarter and three quarters of
    /// the way, and keeps the edge pixels.
    #[test]
    fn upscale2_is_bilinear() {
        let g = Gray {
            w: 2,
            h: 1,
            px: vec![0, 255],
        };
        let big = upscale2(&g);
        assert_eq!((big.w, big.h), (4, 2));
        assert_eq!(big.px, vec![0, 64, 191, 255, 0, 64, 191, 255]);
    }

    /// The local threshold follows uneven light: a dark spot on the dim side is dark, the
    /// dim background itself is light, and flat noise within the margin stays light.
    #[test]
    fn local_threshold_follows_uneven_light() {
        let (w, h) = (64usize, 64usize);
        let px = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let light = 240 - (x * 2) as u8 + (i % 3) as u8;
                if (50..56).contains(&x) && (30..36).contains(&y) {
                    light / 3
                } else {
                    light
                }
            })
            .collect();
        let out = local_threshold(&Gray { w, h, px }, 10);
        let at = |x: usize, y: usize| out.px[y * w + x];
        assert_eq!(at(52, 32), 0);
        assert_eq!(at(60, 10), 255);
        assert_eq!(at(5, 5), 255);
        assert_eq!(out.px.iter().filter(|&&p| p == 0).count(), 36);
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
