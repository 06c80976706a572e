//! Printable certificates: an A4 page in the EU layout, folded into four A6 panels.
//!
//! The page follows the EU reference issuing app's printout: one panel with the title, the QR
//! code, the holder's name (as written and standardised), date of birth and certificate
//! identifier; one with the fields of the certificate's type, value sets shown by their display
//! names; one with the signature's details (issuing country, issue and expiry dates, key
//! identifier); one with the "not a travel document" statement. Every label is in English and in
//! one more language ([`PdfOptions::language`]).
//!
//! The QR code is vector graphics (one path), its modules on a 1/150-inch grid so that a
//! rendering at 150, 300 or 600 dpi is crisp. Text is set in Liberation Sans (SIL Open Font
//! License, `fonts/`), which covers Latin, Greek and Cyrillic names; krilla embeds a subset of it.
//!
//! ```
//! let issuer = dcc::Issuer::demo();
//! let payload = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/vaccination.json"))?;
//! let cert = issuer.issue_json(&payload, &dcc::IssueOptions::default())?;
//! let pdf = cert.to_pdf(&dcc::PdfOptions { language: "fr".into() })?;
//! assert!(pdf.starts_with(b"%PDF-"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::OnceLock;

use dcc_payload::validate::valuesets::{display_name, ids};
use dcc_payload::{Dcc, Entry};
use krilla::Document;
use krilla::color::{luma, rgb};
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::{Claims, EcLevel, Error, QrCode, Result};

/// How to print a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    /// The language printed beside English: `"de"` (German, the default), `"fr"` (French) or
    /// `"en"` (English only). Any other code is [`crate::ErrorKind::InvalidOptions`].
    pub language: String,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            language: "de".into(),
        }
    }
}

/// The languages [`PdfOptions::language`] accepts.
pub const PDF_LANGUAGES: [&str; 3] = ["en", "de", "fr"];

const REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// A4 in points.
const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const PANEL_W: f32 = PAGE_W / 2.0;
const PANEL_H: f32 = PAGE_H / 2.0;
const MARGIN: f32 = 22.0;
/// One pixel at 150 dpi, in points: QR modules are whole multiples of it.
const GRID: f32 = 72.0 / 150.0;

/// How a run of text is set.
#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    grey: bool,
}

impl Style {
    const CAPTION: Style = Style {
        size: 6.5,
        bold: false,
        grey: true,
    };
    const BODY: Style = Style {
        size: 8.0,
        bold: false,
        grey: false,
    };
    fn value(size: f32) -> Style {
        Style {
            size,
            bold: true,
            grey: false,
        }
    }
}

/// Label ids; [`label`] gives each in a language.
#[derive(Clone, Copy)]
enum L {
    Title,
    Vaccination,
    Test,
    Recovery,
    Name,
    StdName,
    Dob,
    Ci,
    Tg,
    Vp,
    Mp,
    Ma,
    Dose,
    Dt,
    CoV,
    Is,
    Tt,
    Nm,
    TestMa,
    Sc,
    Tr,
    Tc,
    CoT,
    Fr,
    CoR,
    Df,
    Du,
    Details,
    Iss,
    Iat,
    Exp,
    Kid,
    Alg,
    Ms,
    Statement,
}

fn label(l: L, lang: &str) -> &'static str {
    let (en, de, fr) = match l {
        L::Title => (
            "EU Digital COVID Certificate",
            "Digitales COVID-Zertifikat der EU",
            "Certificat COVID numérique de l'UE",
        ),
        L::Vaccination => (
            "Vaccination certificate",
            "Impfzertifikat",
            "Certificat de vaccination",
        ),
        L::Test => ("Test certificate", "Testzertifikat", "Certificat de test"),
        L::Recovery => (
            "Certificate of recovery",
            "Genesenenzertifikat",
            "Certificat de rétablissement",
        ),
        L::Name => (
            "Surname(s) and forename(s)",
            "Name, Vorname(n)",
            "Nom(s) et prénom(s)",
        ),
        L::StdName => (
            "Standardised name",
            "Standardisierter Name",
            "Nom normalisé",
        ),
        L::Dob => ("Date of birth", "Geburtsdatum", "Date de naissance"),
        L::Ci => (
            "Unique certificate identifier",
            "Eindeutige Zertifikatkennung",
            "Identifiant unique du certificat",
        ),
        L::Tg => (
            "Disease or agent targeted",
            "Zielkrankheit oder -erreger",
            "Maladie ou agent ciblé",
        ),
        L::Vp => (
            "Vaccine/prophylaxis",
            "Impfstoff/Prophylaxe",
            "Vaccin/prophylaxie",
        ),
        L::Mp => (
            "Vaccine medicinal product",
            "Impfstoff",
            "Médicament vaccinal",
        ),
        L::Ma => (
            "Marketing authorisation holder or manufacturer",
            "Zulassungsinhaber oder Hersteller",
            "Titulaire de l'autorisation ou fabricant",
        ),
        L::Dose => (
            "Number in a series of doses",
            "Nummer der Dosis in der Serie",
            "Nombre dans une série de doses",
        ),
        L::Dt => (
            "Date of vaccination",
            "Datum der Impfung",
            "Date de la vaccination",
        ),
        L::CoV => (
            "Member State or third country of vaccination",
            "Mitgliedstaat oder Drittland der Impfung",
            "État membre ou pays tiers de vaccination",
        ),
        L::Is => (
            "Certificate issuer",
            "Zertifikataussteller",
            "Émetteur du certificat",
        ),
        L::Tt => ("Type of test", "Art des Tests", "Type de test"),
        L::Nm => ("Test name", "Testname", "Nom du test"),
        L::TestMa => ("Test manufacturer", "Testhersteller", "Fabricant du test"),
        L::Sc => (
            "Date and time of the test sample collection",
            "Datum und Uhrzeit der Probenahme",
            "Date et heure du prélèvement",
        ),
        L::Tr => ("Result of the test", "Testergebnis", "Résultat du test"),
        L::Tc => (
            "Testing centre or facility",
            "Testzentrum oder -einrichtung",
            "Centre ou installation de test",
        ),
        L::CoT => (
            "Member State or third country of test",
            "Mitgliedstaat oder Drittland des Tests",
            "État membre ou pays tiers du test",
        ),
        L::Fr => (
            "Date of first positive NAAT test result",
            "Datum des ersten positiven NAAT-Tests",
            "Date du premier résultat positif du test TAAN",
        ),
        L::CoR => (
            "Member State or third country of test",
            "Mitgliedstaat oder Drittland des Tests",
            "État membre ou pays tiers du test",
        ),
        L::Df => (
            "Certificate valid from",
            "Zertifikat gültig ab",
            "Certificat valable à partir du",
        ),
        L::Du => (
            "Certificate valid until",
            "Zertifikat gültig bis",
            "Certificat valable jusqu'au",
        ),
        L::Details => (
            "Signature details",
            "Angaben zur Signatur",
            "Détails de la signature",
        ),
        L::Iss => ("Issuing country", "Ausstellungsland", "Pays de délivrance"),
        L::Iat => ("Issued on", "Ausgestellt am", "Délivré le"),
        L::Exp => (
            "Signature valid until",
            "Signatur gültig bis",
            "Signature valable jusqu'au",
        ),
        L::Kid => (
            "Key identifier (kid)",
            "Schlüsselkennung (kid)",
            "Identifiant de clé (kid)",
        ),
        L::Alg => (
            "Signature algorithm",
            "Signaturalgorithmus",
            "Algorithme de signature",
        ),
        L::Ms => (
            "Member State information",
            "Informationen des Mitgliedstaats",
            "Informations de l'État membre",
        ),
        L::Statement => (
            "This certificate is not a travel document. The scientific evidence on COVID-19 \
             vaccination, testing and recovery continues to evolve, also in view of new variants \
             of concern of the virus. Before traveling, please check the applicable public health \
             measures and related restrictions applied at the point of destination.",
            "Dieses Zertifikat ist kein Reisedokument. Die wissenschaftlichen Erkenntnisse über \
             COVID-19-Impfungen, -Tests und -Genesung entwickeln sich ständig weiter, auch im \
             Hinblick auf neue besorgniserregende Virusvarianten. Bitte informieren Sie sich vor \
             Reiseantritt über die am Zielort geltenden Gesundheitsmaßnahmen und entsprechenden \
             Beschränkungen.",
            "Ce certificat n'est pas un document de voyage. Les preuves scientifiques relatives à \
             la vaccination, aux tests et au rétablissement liés à la COVID-19 continuent \
             d'évoluer, notamment en ce qui concerne les nouveaux variants préoccupants du virus. \
             Avant de voyager, veuillez vérifier les mesures de santé publique applicables et les \
             restrictions connexes en vigueur sur le lieu de destination.",
        ),
    };
    match lang {
        "de" => de,
        "fr" => fr,
        _ => en,
    }
}

/// The two fonts, parsed once per process.
struct Fonts {
    regular: Font,
    bold: Font,
    regular_face: ttf_parser::Face<'static>,
    bold_face: ttf_parser::Face<'static>,
}

fn fonts() -> Result<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Font::new(REGULAR.into(), 0)?,
                bold: Font::new(BOLD.into(), 0)?,
                regular_face: ttf_parser::Face::parse(REGULAR, 0).ok()?,
                bold_face: ttf_parser::Face::parse(BOLD, 0).ok()?,
            })
        })
        .as_ref()
        .ok_or_else(|| Error::Pdf("the embedded font cannot be read".into()))
}

/// Text setting on one page: measuring, wrapping and drawing with the two fonts.
struct Page<'a, 'b> {
    surface: &'a mut Surface<'b>,
    fonts: &'static Fonts,
    lang: &'a str,
}

const GREY: u8 = 90;

impl Page<'_, '_> {
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold {
            &self.fonts.bold_face
        } else {
            &self.fonts.regular_face
        };
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(u32::from(face.units_per_em() / 2), u32::from)
            })
            .sum();
        units as f32 * size / f32::from(face.units_per_em())
    }

    fn draw(&mut self, x: f32, baseline: f32, size: f32, bold: bool, grey: bool, text: &str) {
        let luma = if grey { GREY } else { 0 };
        self.surface.set_fill(Some(Fill {
            paint: luma::Color::new(luma).into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::NonZero,
        }));
        let font = if bold {
            self.fonts.bold.clone()
        } else {
            self.fonts.regular.clone()
        };
        self.surface.draw_text(
            Point::from_xy(x, baseline),
            font,
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// Greedy line breaking at spaces; a word wider than the line is broken between characters.
    fn wrap(&self, text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size, bold) > max && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Draws wrapped text from `y` (top of the first line); returns the y below it.
    fn paragraph(&mut self, (x, y, w): (f32, f32, f32), style: Style, text: &str) -> f32 {
        let Style { size, bold, grey } = style;
        let leading = size * 1.25;
        let mut y = y;
        for line in self.wrap(text, size, bold, w) {
            y += leading;
            self.draw(x, y - size * 0.25, size, bold, grey, &line);
        }
        y
    }

    /// A label (English, then the second language) above its value; returns the y below it.
    fn field(&mut self, x: f32, y: f32, w: f32, l: L, value: &str) -> f32 {
        let en = label(l, "en");
        let other = label(l, self.lang);
        let caption = if en == other {
            en.to_string()
        } else {
            format!("{en} / {other}")
        };
        let y = self.paragraph((x, y, w), Style::CAPTION, &caption);
        let value = if value.is_empty() { "-" } else { value };
        // One long word (a certificate identifier) shrinks to fit its line before it wraps.
        let mut size = 9.0;
        if !value.contains(char::is_whitespace) {
            let full = self.width(value, size, true);
            if full > w {
                size = (size * w / full).max(6.0);
            }
        }
        self.paragraph((x, y + 0.5, w), Style::value(size), value) + 5.0
    }

    /// A bilingual heading, centred in the panel starting at `x0`; returns the y below it.
    fn heading(&mut self, x0: f32, y: f32, l: L, size: f32) -> f32 {
        let mut y = y;
        let en = label(l, "en");
        let other = label(l, self.lang);
        for (i, text) in [en, other].into_iter().enumerate() {
            if i == 1 && other == en {
                break;
            }
            let (sz, bold) = if i == 0 {
                (size, true)
            } else {
                (size * 0.8, false)
            };
            for line in self.wrap(text, sz, bold, PANEL_W - 2.0 * MARGIN) {
                let w = self.width(&line, sz, bold);
                y += sz * 1.25;
                self.draw(
                    x0 + (PANEL_W - w) / 2.0,
                    y - sz * 0.25,
                    sz,
                    bold,
                    false,
                    &line,
                );
            }
        }
        y + 6.0
    }

    /// The QR code as one path of module rectangles on the 1/150-inch grid, centred
    /// horizontally in the panel at `x0`, top at `y`; returns the y below it.
    fn qr(&mut self, qr: &QrCode, x0: f32, y: f32, max_side: f32) -> f32 {
        let n = qr.size();
        let quiet = 4;
        let cells = (n + 2 * quiet) as f32;
        let k = (max_side / cells / GRID).floor().max(1.0);
        let m = k * GRID;
        let side = cells * m;
        let snap = |v: f32| (v / GRID).round() * GRID;
        let left = snap(x0 + (PANEL_W - side) / 2.0) + quiet as f32 * m;
        let top = snap(y) + quiet as f32 * m;
        // In module units: the transform below scales and places the code, so the content
        // stream holds small integers; outlines rather than one rectangle per run halve it.
        let mut pb = PathBuilder::new();
        for outline in outlines(n, |x, y| qr.is_dark(x, y)) {
            let mut corners = outline.iter();
            if let Some(&(x, y)) = corners.next() {
                pb.move_to(x as f32, y as f32);
                for &(x, y) in corners {
                    pb.line_to(x as f32, y as f32);
                }
                pb.close();
            }
        }
        if let Some(path) = pb.finish() {
            self.surface.set_fill(Some(Fill {
                paint: luma::Color::black().into(),
                opacity: NormalizedF32::ONE,
                rule: FillRule::NonZero,
            }));
            self.surface.set_stroke(None);
            self.surface
                .push_transform(&Transform::from_row(m, 0.0, 0.0, m, left, top));
            self.surface.draw_path(&path);
            self.surface.pop();
        }
        snap(y) + side
    }

    fn fold_lines(&mut self) {
        let mut pb = PathBuilder::new();
        pb.move_to(PANEL_W, 0.0);
        pb.line_to(PANEL_W, PAGE_H);
        pb.move_to(0.0, PANEL_H);
        pb.line_to(PAGE_W, PANEL_H);
        if let Some(path) = pb.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(160, 160, 160).into(),
                width: 0.5,
                dash: Some(StrokeDash {
                    array: vec![4.0, 4.0],
                    offset: 0.0,
                }),
                ..Stroke::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }
}

/// The outlines of the dark modules of an `n` x `n` grid: closed polygons of grid corners
/// (only the corners where the outline turns), each dark region clockwise and each hole in it
/// counter-clockwise (y down), so either fill rule paints exactly the dark modules.
///
/// Every boundary edge between a dark module and a light one (or the outside) is directed
/// with the dark module on its right; the edges are then chained into loops. Where two dark
/// modules touch only at a corner, that corner has two outgoing edges: which one a loop takes
/// does not change the winding number of any point, so the choice is free.
fn outlines(n: usize, dark: impl Fn(usize, usize) -> bool) -> Vec<Vec<(usize, usize)>> {
    let side = n + 1;
    let is_dark = |x: isize, y: isize| {
        x >= 0 && y >= 0 && (x as usize) < n && (y as usize) < n && dark(x as usize, y as usize)
    };
    // Up to two outgoing edges per corner, as the index of the corner they lead to.
    const NONE: u32 = u32::MAX;
    let mut out = vec![[NONE; 2]; side * side];
    let mut add = |from: (usize, usize), to: (usize, usize)| {
        let slot = &mut out[from.1 * side + from.0];
        let to = (to.1 * side + to.0) as u32;
        if slot[0] == NONE {
            slot[0] = to;
        } else {
            slot[1] = to;
        }
    };
    for y in 0..n {
        for x in 0..n {
            if !dark(x, y) {
                continue;
            }
            let (xi, yi) = (x as isize, y as isize);
            if !is_dark(xi, yi - 1) {
                add((x, y), (x + 1, y));
            }
            if !is_dark(xi + 1, yi) {
                add((x + 1, y), (x + 1, y + 1));
            }
            if !is_dark(xi, yi + 1) {
                add((x + 1, y + 1), (x, y + 1));
            }
            if !is_dark(xi - 1, yi) {
                add((x, y + 1), (x, y));
            }
        }
    }
    let corner = |i: usize| (i % side, i / side);
    let mut loops = Vec::new();
    for start in 0..out.len() {
        while out[start][0] != NONE {
            // Walk one loop from `start`, taking (and removing) an outgoing edge at each corner.
            let mut points = vec![corner(start)];
            let mut at = start;
            loop {
                let slot = &mut out[at];
                let next = if slot[1] != NONE {
                    std::mem::replace(&mut slot[1], NONE)
                } else {
                    std::mem::replace(&mut slot[0], NONE)
                } as usize;
                if next == start {
                    break;
                }
                points.push(corner(next));
                at = next;
            }
            loops.push(keep_turns(points));
        }
    }
    loops
}

/// Drops the points of a closed axis-parallel polygon where it goes straight on.
fn keep_turns(points: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let len = points.len();
    (0..len)
        .filter(|&i| {
            let (a, b, c) = (
                points[(i + len - 1) % len],
                points[i],
                points[(i + 1) % len],
            );
            !((a.0 == b.0 && b.0 == c.0) || (a.1 == b.1 && b.1 == c.1))
        })
        .map(|i| points[i])
        .collect()
}

/// A code's display name in the embedded value set, with the code itself when it is unknown.
fn shown(set: &str, code: &str) -> String {
    match display_name(set, code) {
        Some(name) if name != code => format!("{name} ({code})"),
        _ => code.to_string(),
    }
}

fn country(code: &str) -> String {
    shown(ids::COUNTRY, code)
}

fn date(secs: Option<i64>) -> String {
    secs.and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .map(|t| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_else(|| "-".into())
}

/// What a printed certificate shows besides the payload.
pub(crate) struct Printed<'a> {
    pub hc1: &'a str,
    pub claims: &'a Claims,
    pub kid: Option<String>,
    pub algorithm: Option<String>,
}

/// Renders the printable certificate of `dcc` (see the module docs).
pub(crate) fn render(dcc: &Dcc, printed: &Printed<'_>, opts: &PdfOptions) -> Result<Vec<u8>> {
    let lang = opts.language.as_str();
    if !PDF_LANGUAGES.contains(&lang) {
        return Err(Error::Options(format!(
            "PDF language {lang:?} is not one of {}",
            PDF_LANGUAGES.join(", ")
        )));
    }
    let entry = dcc.entry()?;
    let qr = QrCode::encode(printed.hc1, EcLevel::Q)?;
    let fonts = fonts()?;

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(label(L::Title, "en").to_string())
            .language(lang.to_string())
            .creator("dcc-kit".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| Error::Pdf("invalid page size".into()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut p = Page {
        surface: &mut surface,
        fonts,
        lang,
    };
    p.fold_lines();
    let inner = PANEL_W - 2.0 * MARGIN;

    // Top right: the front panel.
    let x0 = PANEL_W;
    let mut y = p.heading(x0, MARGIN, L::Title, 13.0);
    let kind = match entry {
        Entry::Vaccination(_) => L::Vaccination,
        Entry::Test(_) => L::Test,
        Entry::Recovery(_) => L::Recovery,
    };
    y = p.heading(x0, y - 4.0, kind, 10.0);
    // The QR code takes what the four fields below it leave.
    let fields_height = 112.0;
    y = p.qr(&qr, x0, y, inner.min(PANEL_H - MARGIN - y - fields_height));
    let n = &dcc.nam;
    let written = match (n.family.as_deref(), n.given.as_deref()) {
        (Some(f), Some(g)) => format!("{f}, {g}"),
        (Some(f), None) => f.to_string(),
        (None, Some(g)) => g.to_string(),
        (None, None) => String::new(),
    };
    let standard = match (n.family_std.as_deref(), n.given_std.as_deref()) {
        (Some(f), Some(g)) => format!("{f}<<{g}"),
        (Some(f), None) => f.to_string(),
        (None, Some(g)) => format!("<<{g}"),
        (None, None) => String::new(),
    };
    let x = x0 + MARGIN;
    y = p.field(x, y + 2.0, inner, L::Name, &written);
    y = p.field(x, y, inner, L::StdName, &standard);
    y = p.field(x, y, inner, L::Dob, &dcc.dob);
    p.field(x, y, inner, L::Ci, entry.ci());

    // Bottom left: the fields of the certificate's type.
    let x0 = 0.0;
    let x = x0 + MARGIN;
    let mut y = p.heading(x0, PANEL_H + MARGIN, kind, 12.0);
    let fields: Vec<(L, String)> = match entry {
        Entry::Vaccination(v) => vec![
            (L::Tg, shown(ids::DISEASE, &v.tg)),
            (L::Vp, shown(ids::VACCINE_PROPHYLAXIS, &v.vp)),
            (L::Mp, shown(ids::VACCINE_PRODUCT, &v.mp)),
            (L::Ma, shown(ids::VACCINE_MAH, &v.ma)),
            (L::Dose, format!("{} / {}", v.dn, v.sd)),
            (L::Dt, v.dt.clone()),
            (L::CoV, country(&v.co)),
            (L::Is, v.is.clone()),
        ],
        Entry::Test(t) => {
            let mut f = vec![
                (L::Tg, shown(ids::DISEASE, &t.tg)),
                (L::Tt, shown(ids::TEST_TYPE, &t.tt)),
            ];
            if let Some(nm) = &t.nm {
                f.push((L::Nm, nm.clone()));
            }
            if let Some(ma) = &t.ma {
                f.push((L::TestMa, shown(ids::TEST_DEVICE, ma)));
            }
            f.extend([
                (L::Sc, t.sc.clone()),
                (L::Tr, shown(ids::TEST_RESULT, &t.tr)),
                (L::Tc, t.tc.clone().unwrap_or_default()),
                (L::CoT, country(&t.co)),
                (L::Is, t.is.clone()),
            ]);
            f
        }
        Entry::Recovery(r) => vec![
            (L::Tg, shown(ids::DISEASE, &r.tg)),
            (L::Fr, r.fr.clone()),
            (L::CoR, country(&r.co)),
            (L::Is, r.is.clone()),
            (L::Df, r.df.clone()),
            (L::Du, r.du.clone()),
        ],
    };
    for (l, value) in &fields {
        y = p.field(x, y, inner, *l, value);
    }

    // Bottom right: the signature's details.
    let x0 = PANEL_W;
    let x = x0 + MARGIN;
    let mut y = p.heading(x0, PANEL_H + MARGIN, L::Details, 12.0);
    let iss = printed
        .claims
        .iss
        .as_deref()
        .map(country)
        .unwrap_or_default();
    y = p.field(x, y, inner, L::Iss, &iss);
    y = p.field(x, y, inner, L::Iat, &date(printed.claims.iat));
    y = p.field(x, y, inner, L::Exp, &date(printed.claims.exp));
    y = p.field(
        x,
        y,
        inner,
        L::Kid,
        printed.kid.as_deref().unwrap_or_default(),
    );
    p.field(
        x,
        y,
        inner,
        L::Alg,
        printed.algorithm.as_deref().unwrap_or_default(),
    );

    // Top left: the statement.
    let x0 = 0.0;
    let x = x0 + MARGIN;
    let mut y = p.heading(x0, MARGIN, L::Ms, 12.0);
    y = p.paragraph((x, y, inner), Style::BODY, label(L::Statement, "en"));
    if lang != "en" {
        let style = Style {
            grey: true,
            ..Style::BODY
        };
        p.paragraph((x, y + 8.0, inner), style, label(L::Statement, lang));
    }

    surface.finish();
    page.finish();
    document.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::{keep_turns, outlines};

    /// The winding number of the point (x + 0.5, y + 0.5) around the polygons: a ray to the
    /// right crosses the vertical edges.
    fn winding(polys: &[Vec<(usize, usize)>], x: usize, y: usize) -> i32 {
        let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
        let mut w = 0;
        for poly in polys {
            for i in 0..poly.len() {
                let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
                if a.0 == b.0 && (a.0 as f64) > px {
                    let (lo, hi) = (a.1.min(b.1) as f64, a.1.max(b.1) as f64);
                    if lo < py && py < hi {
                        w += if b.1 > a.1 { 1 } else { -1 };
                    }
                }
            }
        }
        w
    }

    fn check(n: usize, grid: &[bool]) {
        let polys = outlines(n, |x, y| grid[y * n + x]);
        for poly in &polys {
            assert!(poly.len() >= 4 && poly.len() % 2 == 0, "{poly:?}");
            assert_eq!(keep_turns(poly.clone()), *poly, "only turning points");
        }
        for y in 0..n {
            for x in 0..n {
                let w = winding(&polys, x, y);
                // Dark: winding 1 (either fill rule paints it); light: 0.
                assert_eq!(w, i32::from(grid[y * n + x]), "module ({x}, {y})");
            }
        }
    }

    #[test]
    fn outlines_paint_exactly_the_dark_modules() {
        // Random grids of several densities (xorshift), diagonal touches and holes included.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for n in [1, 2, 3, 7, 21, 33] {
            for density in [1, 3, 5, 7] {
                let grid: Vec<bool> = (0..n * n)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        state % 8 < density
                    })
                    .collect();
                check(n, &grid);
            }
        }
        // A checkerboard: every corner a diagonal touch.
        let n = 9;
        let board: Vec<bool> = (0..n * n).map(|i| (i % n + i / n) % 2 == 0).collect();
        check(n, &board);
        // A ring with a hole, and an all-dark grid: one outline each (plus the hole's).
        let ring: Vec<bool> = (0..25).map(|i| i != 12).collect();
        assert_eq!(outlines(5, |x, y| ring[y * 5 + x]).len(), 2);
        check(5, &ring);
        assert_eq!(
            outlines(4, |_, _| true),
            vec![vec![(0, 0), (4, 0), (4, 4), (0, 4)]]
        );
    }
}
