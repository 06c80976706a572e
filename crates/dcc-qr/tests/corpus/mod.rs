//! The generated robustness corpus of issue #15, shared by `tests/robustness.rs` and
//! `examples/robustness_corpus.rs` (which writes it to a folder for zxing-cpp).
//!
//! Every image is made here from real certificates (five `HC1:` texts of the EU test
//! vectors, the three types, 429 to 1,093 characters, QR versions 16 to 26 at level Q),
//! deterministically (fixed seeds), in the ways phones, screenshots and scanners degrade a
//! code. Nothing is checked in but this code.

// Only `#[test]` functions may unwrap (clippy.toml); this module is test and example code.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::Cursor;

use dcc_qr::{EcLevel, QrCode};
use image::{GrayImage, Luma, imageops};

/// Real certificates from the EU DCC test vectors (`PREFIX` of each file).
pub const CERTIFICATES: [&str; 5] = [
    // recovery, 429 characters: tests/vectors/dgc-testdata/VA/2DCode/raw/3.json
    "HC1:6BFOXN%TSMAHN-H/OCLWV5LFFMOTK6LR8Y4C7AJ+7TM*46GUC0SLX8UPT9ZLK1JZZPQA37S47*KB*KYQTKWT.T4RZ4E%5MK9/L99PPC-54T9 UPQA92RU5+10T9C9QM0V T5D$P+%9JH14F7-IFQ05.$S6ZCJKBYN3MD3IFT7CBF 2K%5PF5RBQ746B46O1N646EN95O5PF6846A$QY76UW6EN932QMKB.XI6XJ87TC422JB*NIWKI%%IR/0B699B5RFU-DG13P*LP6Y2GHKW/F3IKJ5QH*AA:G:ECT/A84QM1J -5R1MQ:GZ1P9*1DY2-K1X%UFI6 %NREVNQC/DQ3-61UR1HJP18O:3C/II%AEZL1$U.AMAYE3-GH3EDJ9*/9CWC2YFBQIQKUBOFWEP1FDS4SCCF*NK%40BX5Y1",
    // vaccination, 559 characters: tests/vectors/dgc-testdata/NL/2DCode/raw/130-NL-vaccination.json
    "HC1:NCF:70390T9WTWGSLKC 4-49NJ3B0J$OC .AFBBGA2*70J+9FN0HFCX8PWY05AC0FFD97TK0F90$PC5$CUZCY$5Y$5TPCBEC7ZKW.CLJDNPC7WE:KE:DCD$DW.CCWECB8L69GY88+9MB8 JC-.DMPCG/DF8CGVC JC1A6G%63W5-A67:EDOL9WEQDD+Q6TW6FA7C466KCK9E2H9G:6V6BEM6Q$D.UDRYA 96NF6L/5QW6307B$D39EZ CHWEOJEXC9 QE-ED8%EY CFVCH81KQE820LVC6JD846Y968464W5Y57UPC0JC52B+EDL8FHZ95/D QEALEN44:+C%69AECAWE:34: CJ.CZKE9440/D+34S9E5LEWJC0FD::5:KEPH7M/ESDD746VG7TS9JPC707GPCIOCGM6MB7.Q6TICY57K.CAL6O-CX C+Q6F-C5UC27BOGRZMR$W4%TPX.UINNLBEI J-TUQG3G59ZBRP.OZ.LN+A%P9:$VR-HUM5*-D8Z4RH6$:BRJIRN91PVHAU1AG-DCK1S/+3KGTOJC/WG",
    // test, 475 characters: tests/vectors/dgc-testdata/FR/2DCode/raw/DCC_Test_0007.json
    "HC1:NCFOXN%TSMAHN-HZL497V56V7L6.SNG92I:ID+4HW05B9.Q3.PVXG40CE7RM NI4EFSYS1-ST*QGTA W7G 7B-S-*O7Y81FD:85 KL/Y41FDIV4RB4VIOHJP7NV*CBCY0L2JVZ0VON9%2SX4*M5TK96L6SR9MU9DV5 R1AMI4H9LUFA$PA$PSVETNI.RIWVHWVH+ZE.T94W1JL8* 9WVHYXL*Q1AMI8LHU-HHQ1G:PAT1OQ1AJ9*ZUQRA2J9/GAEIA5V2 AGEV499TM-J.XIMXBOOJ$IBQMITKB1BIEPLLYJ5VAXIJ*IJ 31JBQM9IFY1OSMNV1L8VNF6O MOL18LE-5FT56FZEA46HPE*XA06I0KVUZK+HFTXIC$AL4C5ES+2JU+H6PJYQ8NRNCN82-HOU8RNIL$9:W11TH4PRIKEXO7LRA5MD3PR+ U6+SI04-ZA3ML54S83UOZS6$H$BCXPD",
    // test, 1039 characters: tests/vectors/dgc-testdata/LT/2DCode/raw/2.json
    "HC1:NCFOXNYTSFDHJI8Y0P2.T86N43B$7SLCN4NI6.Q92P+4K-%2N*QM3CAVD:IHNWV5IBMF6.UCOMIYSQGF6BD7LG8CU6O8QGU68ORJSPZHQA15ZSPAHPL-R6/56I4N1R5TQ2267SOH*OUL59KRN95U/38T9Z.CA+GS2A:H8UDB+.C6JCX0GTH8DC8%JC7I7FIIYIJGDBQMIGZI1-IEZI3NBC62:13W%LC%TX1LYYKE0J*TAG J77AQOJ7LJXOQAT2PYENZ6EWAPIP9MT7KP/V9+UPW 5$OJAFKJG0YP4Z+S%JOHVTFLTFU2O1B4234234LTX63-E3LVGQ7B 7386BBQJY73233 X4XQ4UDLMHFX$3SJSN1TH9EP BECH99L8UK5WM22CKDIEI8Y9O59LA7IB8KC8N5IAXMFU*GSHGRKMXGG6DB4C9Q2LCIJ/HH*C54ZH$NI Q1610AJ27K2FVIP$I/XKUM44EKZIKX2MHFE.-B97U: K+*NOCG:QM+OKA+QIRP N4Y$EBXJSXQ3UQ8UU:AG P03SV1LGE34+Y56YKGDOS P7HPZ.Q I6*-Q14PZY9P8Q3LP:QU0C1KH14F73GF5A7V7J$%25I3KC3X83PF69CFE-1:HBFZA3N7FVIC-Q:HG:W61.JHOAJ.DB+T4AVJ+O/L3ZE0M:L4:JQE1RUBA553*DY+RHZLNLJYWI6$G.U5:AN$EPR*HSJOPXMNRCNAU32WRBN0GV60H*MSADT/PQC8IN869GMBBN:TL+$QWSNYHU8OSP8E62LTANCOF*J1PQ3K7N.HE:PI$8OB2O2BM9Q5W:NGQR$B7UXNN.2XA49PT83O8EJA+TWURJOS:6LC6HH47W+9IMN8DSP6J ZNNVVUQKNL4DL3HATJ1LC47DFE4ZAA+14CQ57TGPFQZ1HU5C:R1Y3V+FNRLW+AX$D6M7Z3LPRP.DHA2N3LQD0V:VEH6SV7P62DT M238WD52.AFD4/GNKCE2NCVPK5H4.KUFHQMSHK:AX9W61E8TQAOM000C9WL%2",
    // vaccination, 1093 characters: tests/vectors/dgc-testdata/common/2DCode/raw/CO2.json
    "HC1:NCF9A0OC0/3WUWGVLK759PK9N%5PAFNXLH479CK$603XK2F3MPI8242F3MAI324/IC6TAY50.FK6ZK7:EDOLFVC*70B$D% D3IA4W5646946846.966KCN9E%961A6DL6FA7D46XJCCWENF6OF63W5KF60A6WJCT3ETB8WJC0FDTA6AIA%G7X+AQB9746IG77TA$96T476:6/Q6M*8CR63Y8R46WX8F46VL6/G8SF6DR64S8+96QK4.JCP9EJY8L/5M/5546.96VF6%JC+QEEK3ZED+EDKWE3EFX3ET34X C:VDS7DM347%EKWEMED3KC.SC4KCD3DX47B46IL6646I*6..DX%DLPCG/DE$EIZAITA2IA.HA+YAU09HY8 NAE+9GY8ZJCH/DTZ9 QE5$C .CJECQW5HXO*WOZED93DXKEI3DAWEG09DH8$B9+S9 JC4/D3192KCQEDTVD$PC5$CUZC $5Z$5JPCT3E5JDOA7Q478465W58*6O80AW4F6G:SC.5EU.91/TY KPF1VU4YMM7LQ.67M8L3*K277XYEQ-B*LV2OE*C1XUHRHKO/6K:DG4QT34*JV0*UV.28VHNP2%%95:GP%HOLV$GN9DGXZ731TR:LD.0.:0$1TQJHB8J458%8U*S2S.AIVC7OJ 6C1AL014LACX+1. O9X45NEI10L4JQLP$S684DKJLPBS$DSR1N -BI$80A87$9BE2DBH4QN7LJD$B1G8KGFB-CDL47OFOC7S3Q+9DUNRU13N$6UJ3WQTZJL-JGSM6QEIU:HVABW5FO0KSVTGDL%5IZ15M%65-IZ 8RPOL2OZ%AQ.05%PQE8.3TEN5A$IKOKHJBUAT7-DV.E5WEAFA12W*QFB-15VVZ81I%5224MUAR5N4SAC00JDFKWJD$VO8SJEP6BA.V78F90FESES-LKTO7VKRKURGXSBBPA27578 YLX.NT8HZYIZ%TD7GQ11UN0+BI4UA%VA7WCP/A9HCSG2F5HRM4GXRR86E$AB15HXUT9H+N0P+FL7FMU1ESVPGGFRL*I59K44/QL2WK$SG%G23US%FXDV7SUL1STX3Q42.K4",
];

/// The classes of the corpus, in report order.
pub const CLASSES: [&str; 9] = [
    "crisp_1px",
    "fractional",
    "jpeg",
    "blur",
    "rotation",
    "no_quiet_zone",
    "inverted",
    "screen_photo",
    "in_page",
];

/// One generated image.
pub struct Sample {
    /// One of [`CLASSES`].
    pub class: &'static str,
    /// A file-name stem that says how it was made, e.g. `fractional-c2-s2.5-up`.
    pub name: String,
    /// The text encoded in the code.
    pub text: &'static str,
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// `"png"` or `"jpg"`.
    pub ext: &'static str,
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Standard normal (Box-Muller).
    fn gauss(&mut self) -> f32 {
        let u = self.unit().max(1e-7);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
    }
}

/// The code at `scale` whole pixels per module with `quiet` modules of white border.
pub fn crisp(qr: &QrCode, scale: u32, quiet: u32) -> GrayImage {
    let n = (qr.size() as u32 + 2 * quiet) * scale;
    GrayImage::from_fn(n, n, |x, y| {
        let mx = (x / scale).wrapping_sub(quiet) as usize;
        let my = (y / scale).wrapping_sub(quiet) as usize;
        Luma([if qr.is_dark(mx, my) { 0 } else { 255 }])
    })
}

/// The code at a fractional `scale` (pixels per module) by bilinear resampling: either up
/// from 1 pixel per module (`up`, a small code enlarged by a viewer) or down from 6 pixels
/// per module (a large render shrunk, anti-aliased edges).
pub fn fractional(qr: &QrCode, scale: f32, quiet: u32, up: bool) -> GrayImage {
    let modules = qr.size() as u32 + 2 * quiet;
    let target = (modules as f32 * scale).round() as u32;
    let src = crisp(qr, if up { 1 } else { 6 }, quiet);
    imageops::resize(&src, target, target, imageops::FilterType::Triangle)
}

/// Rotates by `degrees` about the centre with bilinear interpolation, on a canvas large
/// enough for the whole image, white outside.
pub fn rotate(img: &GrayImage, degrees: f32) -> GrayImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let ow = (w * cos.abs() + h * sin.abs()).ceil() as u32;
    let oh = (w * sin.abs() + h * cos.abs()).ceil() as u32;
    let (cx, cy, ocx, ocy) = (w / 2.0, h / 2.0, ow as f32 / 2.0, oh as f32 / 2.0);
    let at = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= i64::from(img.width()) || y >= i64::from(img.height()) {
            255.0
        } else {
            f32::from(img.get_pixel(x as u32, y as u32).0[0])
        }
    };
    GrayImage::from_fn(ow, oh, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - ocx, y as f32 + 0.5 - ocy);
        let sx = cos * dx + sin * dy + cx - 0.5;
        let sy = -sin * dx + cos * dy + cy - 0.5;
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        Luma([(top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8])
    })
}

/// A phone photo of a screen, without perspective: the screen's black is grey and its
/// brightness falls off across the image in a random direction, the camera blurs a little
/// and adds sensor noise.
fn screen_photo(img: &GrayImage, rng: &mut Rng) -> GrayImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let angle = rng.unit() * std::f32::consts::TAU;
    let (dx, dy) = (angle.cos(), angle.sin());
    let black = 20.0 + 40.0 * rng.unit();
    let bright = 235.0 - 20.0 * rng.unit();
    let dim = 0.55 + 0.15 * rng.unit();
    let blurred = imageops::blur(img, 0.5 + 0.3 * rng.unit());
    let sigma = 4.0 + 4.0 * rng.unit();
    GrayImage::from_fn(img.width(), img.height(), |x, y| {
        // 0 at one corner of the gradient, 1 at the opposite one.
        let t = (((x as f32 / w - 0.5) * dx + (y as f32 / h - 0.5) * dy)
            / std::f32::consts::SQRT_2)
            + 0.5;
        let gain = 1.0 - (1.0 - dim) * t;
        let v = f32::from(blurred.get_pixel(x, y).0[0]) / 255.0;
        let light = black + (bright - black) * v;
        Luma([(light * gain + sigma * rng.gauss())
            .round()
            .clamp(0.0, 255.0) as u8])
    })
}

/// The code on a page: a white canvas twice its size with lines of "text" (dark bars of
/// random lengths) above, below and beside it, so that the page's ink is not the code's.
fn in_page(img: &GrayImage, rng: &mut Rng) -> GrayImage {
    let (w, h) = (img.width(), img.height());
    let (cw, ch) = (2 * w, 2 * h);
    let (ox, oy) = (w / 2 + (rng.next() % u64::from(w / 3)) as u32, h / 4);
    let mut page = GrayImage::from_pixel(cw, ch, Luma([255]));
    let line = (h / 40).max(3);
    let mut y = line;
    while y + line < ch {
        let mut x = line;
        while x < cw {
            let len = line * (2 + (rng.next() % 8) as u32);
            let inside = |px: u32, py: u32| {
                px + line >= ox && px < ox + w + line && py + line >= oy && py < oy + h + line
            };
            for py in y..(y + line).min(ch) {
                for px in x..(x + len).min(cw) {
                    if !inside(px, py) && !inside(x, y) {
                        page.put_pixel(px, py, Luma([40]));
                    }
                }
            }
            x += len + line;
        }
        y += 3 * line;
    }
    imageops::replace(&mut page, img, i64::from(ox), i64::from(oy));
    page
}

fn png(img: &GrayImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("PNG");
    out
}

fn jpeg(img: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("JPEG");
    out
}

fn invert(mut img: GrayImage) -> GrayImage {
    imageops::invert(&mut img);
    img
}

/// The whole corpus (415 images), in a fixed order.
pub fn generate() -> Vec<Sample> {
    let mut rng = Rng(0x000D_CC15);
    let mut out = Vec::new();
    for (c, &text) in CERTIFICATES.iter().enumerate() {
        let mut push = |class: &'static str, name: String, img: &GrayImage, quality: Option<u8>| {
            let (bytes, ext) = match quality {
                Some(q) => (jpeg(img, q), "jpg"),
                None => (png(img), "png"),
            };
            out.push(Sample {
                class,
                name: format!("{class}-c{c}-{name}"),
                text,
                bytes,
                ext,
            });
        };
        let q = QrCode::encode(text, EcLevel::Q).expect("encode");
        // (a) Exactly one pixel per module, every level, quiet zone 4 and 2.
        for ec in EcLevel::ALL {
            let qr = QrCode::encode(text, ec).expect("encode");
            for quiet in [4, 2] {
                push(
                    "crisp_1px",
                    format!("{ec:?}-q{quiet}"),
                    &crisp(&qr, 1, quiet),
                    None,
                );
            }
        }
        // (b) Fractional module sizes, resampled up from 1 px/module and down from 8.
        for scale in [1.5, 1.8, 2.2, 2.5, 2.8, 3.2, 3.5] {
            for up in [true, false] {
                let how = if up { "up" } else { "down" };
                push(
                    "fractional",
                    format!("s{scale}-{how}"),
                    &fractional(&q, scale, 4, up),
                    None,
                );
            }
        }
        // (c) JPEG at quality 50-90 of small renders.
        for scale in [1.8, 2.5, 3.2] {
            for quality in [50, 60, 70, 80, 90] {
                let img = fractional(&q, scale, 4, false);
                push("jpeg", format!("s{scale}-q{quality}"), &img, Some(quality));
            }
        }
        // (d) Gaussian blur, sigma 0.3-1.0 px.
        for scale in [2.5, 3.0, 4.0] {
            for sigma in [0.3, 0.5, 0.7, 0.85, 1.0] {
                let img = imageops::blur(&fractional(&q, scale, 4, false), sigma);
                push("blur", format!("s{scale}-sigma{sigma}"), &img, None);
            }
        }
        // (e) Rotation by 1-5 degrees, either way.
        for scale in [3.0, 4.0] {
            for degrees in [1.0f32, 2.0, 3.0, 4.0, 5.0] {
                let signed = if rng.next() & 1 == 0 {
                    degrees
                } else {
                    -degrees
                };
                let img = rotate(&fractional(&q, scale, 4, false), signed);
                push("rotation", format!("s{scale}-r{signed}"), &img, None);
            }
        }
        // (f) No quiet zone at all.
        for scale in [1.0, 2.0, 2.5, 3.0, 4.0] {
            let img = fractional(&q, scale, 0, true);
            push("no_quiet_zone", format!("s{scale}"), &img, None);
        }
        // (g) Light code on a dark background.
        for scale in [1.0, 2.0, 2.5, 3.0, 4.0] {
            let img = invert(fractional(&q, scale, 4, true));
            push("inverted", format!("s{scale}"), &img, None);
        }
        // (h) Photos of a screen, saved as JPEG.
        for scale in [3.0, 3.4, 3.8, 4.2, 4.6, 5.0] {
            let img = screen_photo(&fractional(&q, scale, 4, false), &mut rng);
            push("screen_photo", format!("s{scale}"), &img, Some(85));
        }
        // (i) On a page with other ink, upright and turned.
        for (scale, degrees) in [(2.5, 0.0), (3.0, 0.0), (4.0, 0.0), (3.0, 2.0), (4.0, -3.0)] {
            let mut img = fractional(&q, scale, 4, false);
            if degrees != 0.0 {
                img = rotate(&img, degrees);
            }
            push(
                "in_page",
                format!("s{scale}-r{degrees}"),
                &in_page(&img, &mut rng),
                None,
            );
        }
    }
    out
}
