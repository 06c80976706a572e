//! Error types for encoding/rendering and for reading QR codes.

use crate::EcLevel;

/// Error returned when encoding text into a QR code or rendering a QR code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    Png(String),
    /// The underlying QR encoder rejected the input unexpectedly.
    #[error("QR encoding failed: {0}")]
    Encoder(String),
}

/// Error returned by [`read_image`](crate::read_image).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    /// The image is corrupt or could not be decoded.
    #[error("could not decode image: {0}")]
    Image(String),
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
