// The offline issuing page: everything runs in this browser through dcc-kit (WebAssembly).
// Keys, payloads and certificates stay in page memory; the Content-Security-Policy of
// index.html forbids any connection to another origin.
const $ = (id) => document.getElementById(id);

let dcc;
try {
  dcc = await import('./dcc-kit/index.js');
} catch (err) {
  $('load-error').textContent = `dcc-kit could not be loaded (run npm run build first?): ${err.message}`;
  $('load-error').hidden = false;
  throw err;
}
const { DccError, Issuer, Verifier, demoCertificatePem, generateUvci, transliterate, version } = dcc;

const value = (id) => $(id).value.trim();
const DAY = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoSeconds = (ms) => new Date(ms).toISOString().slice(0, 19);
/** Seconds since the epoch (as dcc-kit reports times) as ISO 8601, or '-'. */
const isoTime = (secs) => (secs === null || secs === undefined ? '-' : new Date(secs * 1000).toISOString());

/** Object URLs of the current QR image, released when replaced. */
let qrUrl = null;
/** The issuer loaded from PEM files, with its certificate (trusted by the verify tab too). */
let own = { keyPem: null, certPem: null, issuer: null };

function showError(box, err) {
  box.replaceChildren();
  if (err instanceof DccError) {
    const code = document.createElement('code');
    code.textContent = err.code;
    box.append(code, ` ${err.message}`);
    if (err.issues.length) {
      const list = document.createElement('ul');
      for (const issue of err.issues) {
        const li = document.createElement('li');
        li.textContent = `${issue.path || '(payload)'}: ${issue.message} [${issue.code}]`;
        list.append(li);
      }
      box.append(list);
    }
  } else {
    box.textContent = String(err?.message ?? err);
  }
  box.dataset.code = err?.code ?? '';
  box.hidden = false;
}

function definitions(dl, rows) {
  dl.replaceChildren();
  for (const [term, detail] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = detail;
    dl.append(dt, dd);
  }
}

// --- tabs -----------------------------------------------------------------------------------

function selectTab(name) {
  for (const tab of ['issue', 'verify']) {
    $(`tab-${tab}`).hidden = tab !== name;
    $(`tab-${tab}-button`).setAttribute('aria-selected', String(tab === name));
  }
  if (name === 'verify') renderTrust();
}
$('tab-issue-button').addEventListener('click', () => selectTab('issue'));
$('tab-verify-button').addEventListener('click', () => selectTab('verify'));

// --- issue form -----------------------------------------------------------------------------

const type = () => document.querySelector('input[name=type]:checked').value;
for (const radio of document.querySelectorAll('input[name=type]')) {
  radio.addEventListener('change', () => {
    for (const g of ['v', 't', 'r']) $(`group-${g}`).hidden = g !== type();
  });
}

// Standardised names follow the names as typed, until edited by hand.
for (const [from, to] of [['fn', 'fnt'], ['gn', 'gnt']]) {
  $(to).addEventListener('input', () => { $(to).dataset.edited = 'true'; });
  $(from).addEventListener('input', () => {
    if ($(to).dataset.edited) return;
    try {
      $(to).value = transliterate($(from).value);
    } catch {
      $(to).value = '';
    }
  });
}

function newUvci() {
  const country = (value('co') || 'XX').toUpperCase();
  try {
    $('ci').value = generateUvci(country, 'DCCKIT');
  } catch (err) {
    showError($('issue-error'), err);
  }
}
$('ci-generate').addEventListener('click', newUvci);

for (const radio of document.querySelectorAll('input[name=key]')) {
  radio.addEventListener('change', () => {
    $('own-key').hidden = radio.value !== 'own' || !radio.checked;
    renderSigner();
  });
}

async function readPemFile(input) {
  const file = input.files?.[0];
  return file ? file.text() : null;
}

async function loadOwnKey() {
  own = { keyPem: await readPemFile($('key-file')), certPem: await readPemFile($('cert-file')), issuer: null };
  $('issue-error').hidden = true;
  if (own.keyPem && own.certPem) {
    try {
      own.issuer = Issuer.fromPem(own.keyPem, own.certPem);
    } catch (err) {
      showError($('issue-error'), err);
    }
  }
  renderSigner();
}
$('key-file').addEventListener('change', loadOwnKey);
$('cert-file').addEventListener('change', loadOwnKey);

function currentIssuer() {
  if ($('key-demo').checked) return Issuer.demo();
  if (!own.issuer) throw new Error('Load your private key and its certificate first.');
  return own.issuer;
}

function renderSigner() {
  let text;
  try {
    const s = currentIssuer().signer;
    text = `Signing as ${s.subject} (kid ${s.kid}, ${s.key}, valid until ${s.notAfter === null ? '?' : isoTime(s.notAfter).slice(0, 10)})`;
  } catch (err) {
    text = err.message;
  }
  $('signer-info').textContent = text;
}

function payload() {
  const nam = { fnt: value('fnt') };
  if (value('fn')) nam.fn = value('fn');
  if (value('gn')) nam.gn = value('gn');
  if (value('gnt')) nam.gnt = value('gnt');
  const common = { tg: '840539006', co: value('co').toUpperCase(), is: value('is'), ci: value('ci') };
  const p = { ver: '1.3.0', nam, dob: value('dob') };
  switch (type()) {
    case 'v':
      p.v = [{
        ...common,
        vp: value('v-vp'), mp: value('v-mp'), ma: value('v-ma'),
        dn: Number(value('v-dn')), sd: Number(value('v-sd')), dt: value('v-dt'),
      }];
      break;
    case 't': {
      const t = { ...common, tt: value('t-tt'), sc: `${value('t-sc')}Z`, tr: value('t-tr') };
      if (value('t-nm')) t.nm = value('t-nm');
      if (value('t-ma')) t.ma = value('t-ma');
      if (value('t-tc')) t.tc = value('t-tc');
      p.t = [t];
      break;
    }
    case 'r':
      p.r = [{ ...common, fr: value('r-fr'), df: value('r-df'), du: value('r-du') }];
      break;
  }
  return p;
}

function issue(event) {
  event.preventDefault();
  $('issue-error').hidden = true;
  $('issued').hidden = true;
  try {
    const options = {};
    if (value('iss')) options.iss = value('iss').toUpperCase();
    if (value('valid-days')) options.validity = { forSeconds: Number(value('valid-days')) * 86_400 };
    const cert = currentIssuer().issue(payload(), options);
    const png = cert.toPng(4);
    if (qrUrl) URL.revokeObjectURL(qrUrl);
    qrUrl = URL.createObjectURL(new Blob([png], { type: 'image/png' }));
    $('qr').src = qrUrl;
    $('download').href = qrUrl;
    $('download').download = `dcc-${{ v: 'vaccination', t: 'test', r: 'recovery' }[type()]}.png`;
    $('hc1').value = cert.hc1;
    const { claims } = cert;
    definitions($('claims'), [
      ['Issuer (iss)', claims.iss ?? '-'],
      ['Issued', isoTime(claims.iat)],
      ['Expires', isoTime(claims.exp)],
      ['Identifier', cert.payload[type()][0].ci],
      ['QR size', `${cert.toModules().size} modules, ${cert.hc1.length} characters`],
    ]);
    $('changes').replaceChildren(...cert.changes.map((c) => {
      const li = document.createElement('li');
      li.textContent = `Normalised ${c.path}: ${c.description}`;
      return li;
    }));
    cert.free();
    $('issued').hidden = false;
    $('issued').dataset.hc1 = $('hc1').value;
  } catch (err) {
    showError($('issue-error'), err);
  }
}
$('issue-form').addEventListener('submit', issue);

// --- verify ---------------------------------------------------------------------------------

let extraTrust = [];

function trustedPems() {
  const pems = [demoCertificatePem(), ...extraTrust];
  if (own.certPem) pems.push(own.certPem);
  return pems;
}

function renderTrust() {
  try {
    const names = Verifier.fromCerts(trustedPems()).trusted.map((s) => `${s.subject} (kid ${s.kid})`);
    $('trust-list').textContent = names.join('; ');
  } catch (err) {
    $('trust-list').textContent = '';
    showError($('verify-error'), err);
  }
}

$('trust-file').addEventListener('change', async () => {
  extraTrust = await Promise.all([...$('trust-file').files].map((f) => f.text()));
  $('verify-error').hidden = true;
  renderTrust();
});

const CHECKS = [
  ['signature', 'Signature'],
  ['validity', 'Validity window'],
  ['keyUsage', 'Key usage'],
  ['structure', 'One certificate in the payload'],
  ['payload', 'Payload data quality'],
  ['revocation', 'Revocation'],
];

/**
 * The module reads PNG only (it leaves out a JPEG decoder to stay small: README, "Size"), so
 * any other format the browser can show (JPEG, WebP, GIF, ...) is redrawn on a canvas and
 * handed over as PNG. Nothing leaves the page.
 */
async function imageAsPng(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isPng = bytes.length > 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b);
  if (isPng) return bytes;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return bytes; // not an image the browser knows: let the module report it
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  return blob ? new Uint8Array(await blob.arrayBuffer()) : bytes;
}

async function verify(event) {
  event.preventDefault();
  $('verify-error').hidden = true;
  $('verified').hidden = true;
  try {
    const verifier = Verifier.fromCerts(trustedPems());
    const at = value('verify-at') ? new Date(`${value('verify-at')}Z`) : undefined;
    const image = $('verify-image').files?.[0];
    const result = image
      ? verifier.verifyImage(await imageAsPng(image), at)
      : verifier.verify(value('verify-hc1'), at);

    $('verify-valid').textContent = result.valid ? 'Valid certificate' : 'NOT valid';
    $('verify-valid').dataset.valid = String(result.valid);
    const rows = CHECKS.map(([key, label]) => {
      const o = result.checks[key];
      const tr = document.createElement('tr');
      tr.dataset.check = key;
      tr.dataset.status = o.status;
      const cells = [label, o.status, o.status === 'failed' ? o.code : '', o.message ?? ''];
      for (const [i, text] of cells.entries()) {
        const td = document.createElement('td');
        td.textContent = text;
        if (i === 1) td.className = o.status;
        tr.append(td);
      }
      return tr;
    });
    $('checks').tBodies[0].replaceChildren(...rows);
    const name = [result.payload?.nam?.gn, result.payload?.nam?.fn].filter(Boolean).join(' ');
    definitions($('verify-details'), [
      ['Holder', `${name || result.payload?.nam?.fnt || '?'}, born ${result.payload?.dob ?? '?'}`],
      ['Signer', result.signer ? `${result.signer.subject} (kid ${result.signer.kid})` : `unknown (kid ${result.kid ?? '-'})`],
      ['Algorithm', result.algorithm ?? '-'],
      ['Issuer (iss)', result.claims.iss ?? '-'],
      ['Issued', isoTime(result.claims.iat)],
      ['Expires', isoTime(result.claims.exp)],
      ['Checked at', isoTime(result.at)],
    ]);
    $('findings').replaceChildren(...result.findings.map((f) => {
      const li = document.createElement('li');
      li.textContent = `${f.path || '(payload)'}: ${f.message} [${f.code}]`;
      return li;
    }));
    $('verify-payload').textContent = JSON.stringify(result.payload, null, 2);
    $('verified').hidden = false;
  } catch (err) {
    showError($('verify-error'), err);
  }
}
$('verify-form').addEventListener('submit', verify);
// A new image replaces typed text and the other way round.
$('verify-image').addEventListener('change', () => { if ($('verify-image').files.length) $('verify-hc1').value = ''; });
$('verify-hc1').addEventListener('input', () => { $('verify-image').value = ''; });

// --- start ----------------------------------------------------------------------------------

const now = Date.now();
$('v-dt').value = isoDate(now - 30 * DAY);
$('t-sc').value = isoSeconds(now - 3_600_000);
$('r-fr').value = isoDate(now - 20 * DAY);
$('r-df').value = isoDate(now - 9 * DAY);
$('r-du').value = isoDate(now + 160 * DAY);
$('version').textContent = version();
newUvci();
renderSigner();
document.body.dataset.ready = 'true';
