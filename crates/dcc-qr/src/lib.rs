#![doc = include_str!("../README.md")]

mod error;
mod mask;
mod qr;
mod read;
mod render;

pub use error::{DecodeError, EncodeError};
pub use qr::{EcLevel, QrCode, is_qr_alphanumeric};
pub use read::{MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, read_image};
pub use render::{MAX_QUIET_ZONE, MAX_SCALE, RenderOptions};
