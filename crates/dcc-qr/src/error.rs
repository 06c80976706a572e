//! Error types for encoding/rendering and for reading QR codes.
//!
//! Variants caused by another library's error hold that error (shared in an [`Arc`], so that
//! the enums stay `Clone`) and return it from [`std::error::Error::source`]. Two such errors
//! compare equal when their messages do.

use std::sync::Arc;

use crate::EcLevel;

/// Whether two errors have the same message (foreign errors rarely implement `PartialEq`).
fn same_message<E: std::fmt::Display + ?Sized>(a: &E, b: &E) -> bool {
    a.to_string() == b.to_string()
}

/// Error returned when encoding text into a QR code or rendering a QR code.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The text contains a character outside the QR alphanumeric set
    /// (`0-9`, `A-Z`, space and `$%*+-./:`).
    #[error(
        "character {ch:?} at byte offset {index} is not in the QR alphanumeric set \
         (0-9, A-Z, space, $%*+-./:)"
    )]
    InvalidCharacter {
        /// The offending character.
        ch: char,
        /// Byte offset of the character in the input text.
        index: usize,
    },
    /// The text does not fit into a version 40 QR code at the requested
    /// error correction level.
    #[error(
        "text of {len} characters is too long for a QR code at error correction level {ec:?} \
         (maximum {max} alphanumeric characters)"
    )]
    TooLong {
        /// Length of the input text, in characters.
        len: usize,
        /// Maximum number of alphanumeric characters at that level.
        max: usize,
        /// The requested error correction level.
        ec: EcLevel,
    },
    /// The module scale (pixels per module) is outside `1..=max`.
    #[error("invalid scale {scale}: must be between 1 and {max} pixels per module")]
    InvalidScale {
        /// The requested scale.
        scale: u32,
        /// The largest accepted scale.
        max: u32,
    },
    /// The quiet zone width is larger than `max` modules.
    #[error("invalid quiet zone {quiet_zone}: must be at most {max} modules")]
    InvalidQuietZone {
        /// The requested quiet zone, in modules.
        quiet_zone: u32,
        /// The largest accepted quiet zone.
        max: u32,
    },
    /// The PNG encoder reported an error.
    #[error("PNG encoding failed: {0}")]
    Png(#[source] Arc<png::EncodingError>),
}

impl PartialEq for EncodeError {
    fn eq(&self, other: &Self) -> bool {
        use EncodeError as E;
        match (self, other) {
            (E::InvalidCharacter { ch, index }, E::InvalidCharacter { ch: c, index: i }) => {
                ch == c && index == i
            }
            (
                E::TooLong { len, max, ec },
                E::TooLong {
                    len: l,
                    max: m,
                    ec: e,
                },
            ) => len == l && max == m && ec == e,
            (E::InvalidScale { scale, max }, E::InvalidScale { scale: s, max: m }) => {
                scale == s && max == m
            }
            (
                E::InvalidQuietZone { quiet_zone, max },
                E::InvalidQuietZone {
                    quiet_zone: q,
                    max: m,
                },
            ) => quiet_zone == q && max == m,
            (E::Png(a), E::Png(b)) => same_message(a, b),
            _ => false,
        }
    }
}

impl Eq for EncodeError {}

/// Error returned by [`read_image`](crate::read_image).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are neither a PNG nor a JPEG image.
    #[error("unsupported image format: only PNG and JPEG are supported")]
    UnsupportedImageFormat,
    /// The image is a JPEG, but this build was made without the `jpeg` feature (the
    /// WebAssembly build reads PNG only).
    #[error(
        "this build reads PNG images only (built without JPEG support): \
         convert the image to PNG first, in a browser through a canvas"
    )]
    JpegNotBuiltIn,
    /// The image is corrupt or could not be decoded: the decoder's error (a
    /// `png::DecodingError`, or with the `jpeg` feature an `image::ImageError`).
    #[error("could not decode image: {0}")]
    Image(#[source] Arc<dyn std::error::Error + Send + Sync>),
    /// The image dimensions exceed the accepted limits.
    #[error(
        "image of {width}x{height} pixels is too large \
         (limit {max_side} pixels per side and {max_pixels} pixels in total)"
    )]
    TooLarge {
        /// Image width in pixels.
        width: u32,
        /// Image height in pixels.
        height: u32,
        /// Largest accepted width or height.
        max_side: u32,
        /// Largest accepted number of pixels.
        max_pixels: u64,
    },
    /// No QR code was found in the image.
    #[error("no QR code found in the image")]
    NoQrCode,
    /// A QR code was found but could not be decoded.
    #[error("a QR code was found but could not be decoded")]
    Unreadable,
}

impl PartialEq for DecodeError {
    fn eq(&self, other: &Self) -> bool {
        use DecodeError as D;
        match (self, other) {
            (D::UnsupportedImageFormat, D::UnsupportedImageFormat)
            | (D::JpegNotBuiltIn, D::JpegNotBuiltIn)
            | (D::NoQrCode, D::NoQrCode)
            | (D::Unreadable, D::Unreadable) => true,
            (D::Image(a), D::Image(b)) => same_message(&**a, &**b),
            (
                D::TooLarge {
                    width,
                    height,
                    max_side,
                    max_pixels,
                },
                D::TooLarge {
                    width: w,
                    height: h,
                    max_side: s,
                    max_pixels: p,
                },
            ) => width == w && height == h && max_side == s && max_pixels == p,
            _ => false,
        }
    }
}

impl Eq for DecodeError {}
