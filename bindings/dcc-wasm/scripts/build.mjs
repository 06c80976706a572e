#!/usr/bin/env node
// `npm run build`: compiles the crate to wasm32, runs wasm-bindgen twice (web ESM and Node
// CommonJS glue over the same .wasm), optimises with wasm-opt from the npm `binaryen` package,
// and assembles the publishable package in pkg/ (plus a copy of the browser build for the demo
// page in demo/dcc-kit/). `npm pack ./pkg` then makes the tarball the tests install.
//
// Needs on PATH: cargo with the wasm32-unknown-unknown target, and wasm-bindgen at exactly the
// version pinned in Cargo.toml (test.sh installs both).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const crate = path.resolve(here, '..');
const workspace = path.resolve(crate, '../..');
const build = path.join(crate, 'build');
const pkg = path.join(crate, 'pkg');
const demoLib = path.join(crate, 'demo', 'dcc-kit');

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });
const output = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', ...opts }).trim();
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const write = (file, text) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

const cargoToml = fs.readFileSync(path.join(crate, 'Cargo.toml'), 'utf8');
const pinned = /^wasm-bindgen = "=([0-9.]+)"/m.exec(cargoToml)?.[1];
if (!pinned) throw new Error('Cargo.toml must pin wasm-bindgen = "=X.Y.Z"');
const workspaceToml = fs.readFileSync(path.join(workspace, 'Cargo.toml'), 'utf8');
const version = /^\[workspace\.package\][^[]*?^version = "([^"]+)"/ms.exec(workspaceToml)?.[1];
if (!version) throw new Error('no version in [workspace.package]');

// 1. Rust -> wasm32. Size-oriented settings for this artefact only (the workspace's release
// profile is tuned for native speed); they apply to the wasm32 target directory alone. The
// crates on the QR/PNG path keep opt-level 3: at opt-level z the QR code alone takes 2.6 ms
// instead of 1.1 ms (measured in Node 20). The P-256 crates are built for size too: opt-level 3
// for p256 alone would add 58 KB for signing in 466 instead of 635 µs and verifying in 0.87
// instead of 1.38 ms (Node 20, RFC 6979 inside the module; Node's default signer is
// node:crypto either way).
//
// Two crates, two modules: dcc-wasm (the package) and dcc-wasm-pdf (pdf/, the printable
// certificates: krilla and the fonts, which Certificate.toPdf loads on first use). Each is its
// own cargo invocation: built together, feature unification would give the main module the
// facade's `pdf` feature too.
const HOT_CRATES = ['fast_qr', 'miniz_oxide', 'png'];
const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo');
const targetDir = JSON.parse(
  output('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: workspace }),
).target_directory;
const cargoBuild = (name) => {
  console.log(`build: cargo build -p ${name} --target wasm32-unknown-unknown --release`);
  run(
    'cargo',
    [
      'build', '--target', 'wasm32-unknown-unknown', '-p', name, '--release',
      ...HOT_CRATES.flatMap((c) => ['--config', `profile.release.package.${c}.opt-level=3`]),
    ],
    {
      cwd: workspace,
      env: {
        ...process.env,
        CARGO_PROFILE_RELEASE_OPT_LEVEL: 'z',
        CARGO_PROFILE_RELEASE_LTO: 'fat',
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS: '1',
        CARGO_PROFILE_RELEASE_PANIC: 'abort',
        // Panic locations keep source paths in the module: shorten the registry and workspace
        // prefixes (smaller, and the same bytes on every machine).
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: [
          `--remap-path-prefix=${cargoHome}/registry/src/=`,
          `--remap-path-prefix=${workspace}/=`,
        ].filter((flag) => !flag.includes(' ')).join(' '),
      },
    },
  );
  return path.join(targetDir, 'wasm32-unknown-unknown', 'release', `${name.replaceAll('-', '_')}.wasm`);
};
const rawWasm = cargoBuild('dcc-wasm');
const rawPdfWasm = cargoBuild('dcc-wasm-pdf');

// 2. wasm-bindgen at exactly the pinned version.
const bindgenVersion = output('wasm-bindgen', ['--version']).split(/\s+/)[1];
if (bindgenVersion !== pinned) {
  throw new Error(
    `wasm-bindgen ${bindgenVersion} on PATH, but Cargo.toml pins ${pinned}: ` +
      `cargo install wasm-bindgen-cli --version ${pinned}`,
  );
}
const wasmOpt = path.join(crate, 'node_modules', '.bin', 'wasm-opt');
if (!fs.existsSync(wasmOpt)) {
  throw new Error('wasm-opt from the npm binaryen package is missing: run npm install first');
}

// wasm-bindgen (web ESM and Node CommonJS glue) + wasm-opt for one module, into `dir` (its
// web/, node/, key and <name>_bg.wasm). They take ~30 s; skipped when nothing they read has
// changed. Returns the optimised .wasm.
const bindgen = (raw, name, dir) => {
  const key = sha256(
    Buffer.concat([
      fs.readFileSync(raw),
      Buffer.from(bindgenVersion + output(wasmOpt, ['--version'])),
      fs.readFileSync(fileURLToPath(import.meta.url)),
    ]),
  );
  const keyFile = path.join(dir, 'key');
  const optimised = path.join(dir, `${name}_bg.wasm`);
  if (fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key && fs.existsSync(optimised)) {
    console.log(`build: ${name} wasm unchanged, reusing ${path.relative(crate, dir)}/`);
    return optimised;
  }
  for (const f of ['web', 'node', 'key', `${name}_bg.wasm`]) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  console.log(`build: ${name}: wasm-bindgen --target web / --target nodejs`);
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', name, '--out-dir', path.join(dir, 'web'), raw]);
  run('wasm-bindgen', ['--target', 'nodejs', '--no-typescript', '--out-name', name, '--out-dir', path.join(dir, 'node'), raw]);
  const webWasm = fs.readFileSync(path.join(dir, 'web', `${name}_bg.wasm`));
  const nodeWasm = fs.readFileSync(path.join(dir, 'node', `${name}_bg.wasm`));
  // Both glues drive the same module; the package ships it once.
  if (!webWasm.equals(nodeWasm)) throw new Error(`${name}: web and nodejs targets produced different .wasm`);
  // The module's memory is its own (zero-filled, as every new wasm memory) and Rust places
  // nothing below 1 KiB: both assumptions let wasm-opt drop zero data and fold low addresses
  // (7 KB smaller, the same code).
  console.log(`build: ${name}: wasm-opt -Oz (npm binaryen)`);
  run(wasmOpt, [
    '-Oz', '--zero-filled-memory', '--low-memory-unused', '--converge', '--strip-debug', '--strip-producers',
    '-o', optimised, path.join(dir, 'web', `${name}_bg.wasm`),
  ]);
  fs.writeFileSync(keyFile, key);
  return optimised;
};
const optimised = bindgen(rawWasm, 'dcc_kit', build);
const pdfBuild = path.join(build, 'pdf');
const optimisedPdf = bindgen(rawPdfWasm, 'dcc_kit_pdf', pdfBuild);

// 3. Assemble pkg/.
fs.rmSync(pkg, { recursive: true, force: true });
fs.mkdirSync(pkg, { recursive: true });
const read = (...p) => fs.readFileSync(path.join(...p), 'utf8');

fs.copyFileSync(optimised, path.join(pkg, 'dcc_kit_bg.wasm'));
fs.copyFileSync(path.join(build, 'web', 'dcc_kit.js'), path.join(pkg, 'dcc_kit.js'));

// The Node glue is CommonJS (renamed .cjs, as the package is "type": "module"); it reads
// dcc_kit_bg.wasm from its own directory, the shared copy.
const nodeGlue = read(build, 'node', 'dcc_kit.js');
if (!nodeGlue.includes('`${__dirname}/dcc_kit_bg.wasm`')) throw new Error('unexpected wasm path in the nodejs glue');
write(path.join(pkg, 'dcc_kit_node.cjs'), nodeGlue);

// The public API (js/api.js): conversion and error mapping over the module's exports, as an
// ES module and as CommonJS.
const apiEsm = read(crate, 'js', 'api.js');
const apiExports = [...apiEsm.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
write(path.join(pkg, 'api.js'), apiEsm);
write(
  path.join(pkg, 'api.cjs'),
  "'use strict';\n" +
    apiEsm.replace(/^export (class|function|const) /gm, '$1 ') +
    `\nmodule.exports = { ${apiExports.join(', ')} };\n`,
);
fs.copyFileSync(path.join(crate, 'js', 'node-signer.cjs'), path.join(pkg, 'node-signer.cjs'));

// The PDF module in pdf/: web glue (ESM), Node glue (CommonJS, reads the .wasm next to it) and
// the .wasm, which only Certificate.toPdf imports.
fs.mkdirSync(path.join(pkg, 'pdf'), { recursive: true });
fs.copyFileSync(optimisedPdf, path.join(pkg, 'pdf', 'dcc_kit_pdf_bg.wasm'));
fs.copyFileSync(path.join(pdfBuild, 'web', 'dcc_kit_pdf.js'), path.join(pkg, 'pdf', 'dcc_kit_pdf.js'));
const pdfNodeGlue = read(pdfBuild, 'node', 'dcc_kit_pdf.js');
if (!pdfNodeGlue.includes('`${__dirname}/dcc_kit_pdf_bg.wasm`')) throw new Error('unexpected wasm path in the PDF module\'s nodejs glue');
write(path.join(pkg, 'pdf', 'dcc_kit_pdf_node.cjs'), pdfNodeGlue);
// The cloud KMS example the README links to (read, not imported: not in `exports`).
write(path.join(pkg, 'examples', 'kms-signer.mjs'), read(crate, 'examples', 'kms-signer.mjs'));

const header = '// Generated by scripts/build.mjs. dcc-kit: EU Digital COVID Certificates, issue and verify.\n';
// Node, CommonJS: synchronous, no initialisation needed. The PDF module's CommonJS glue is
// required by the first toPdf, as the main module's is here (a require that failed, e.g. on a
// missing file, is not cached: the next call tries again, where a failed import() stays
// failed).
write(
  path.join(pkg, 'index.cjs'),
  header +
    "'use strict';\n" +
    "const { build } = require('./api.cjs');\n" +
    "const { nodeSigner } = require('./node-signer.cjs');\n" +
    "const loadPdf = async () => require('./pdf/dcc_kit_pdf_node.cjs');\n" +
    "module.exports = build(require('./dcc_kit_node.cjs'), { fastSigner: nodeSigner, loadPdf });\n",
);

// The public names: what the API object holds (error classes included, one per code).
const requireHere = (await import('node:module')).createRequire(import.meta.url);
const api = requireHere(path.join(pkg, 'index.cjs'));
const names = Object.keys(api).sort();

// Node, ESM: the CommonJS build re-exported, so `import` and `require` share one instance.
write(
  path.join(pkg, 'index.node.js'),
  header +
    "import cjs from './index.cjs';\n" +
    `export const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = cjs;\n`,
);
// Browsers and bundlers, ESM: fetches and instantiates the .wasm next to this file (top-level
// await), then builds the same API. The PDF module (pdf/) is fetched by the first toPdf: a
// dynamic import() of its glue, which fetches its .wasm (new URL(..., import.meta.url), which
// bundlers follow) and instantiates it.
write(
  path.join(pkg, 'index.js'),
  header +
    "import init, * as glue from './dcc_kit.js';\n" +
    "import { build } from './api.js';\n\n" +
    'await init();\n\n' +
    'const loadPdf = async () => {\n' +
    "  const pdf = await import('./pdf/dcc_kit_pdf.js');\n" +
    '  await pdf.default();\n' +
    '  return pdf;\n' +
    '};\n\n' +
    `export const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = build(glue, { loadPdf });\n`,
);

// Types: js/index.d.ts plus the code unions and one error class per code, generated from the
// module's lists, as one file for ESM (.d.ts) and one for CommonJS (.d.cts).
const union = (name, codes) => `export type ${name} =\n${codes.map((c) => `  | "${c}"`).join('\n')};\n`;
const { errorClassName } = requireHere(path.join(pkg, 'api.cjs'));
const errorClasses = api.errorCodes().map((code) => {
  const name = errorClassName(code);
  return (
    `/** The \`${code}\` error. */\n` +
    `export declare class ${name} extends DccError {\n` +
    '  constructor(message: string, issues?: ValidationIssue[], failures?: CheckFailure[]);\n' +
    `  readonly name: "${name}";\n  readonly code: "${code}";\n}\n`
  );
});
const types =
  '// Generated by scripts/build.mjs from js/index.d.ts and the module\'s code lists.\n' +
  read(crate, 'js', 'index.d.ts').replace(/^\/\/.*\n(\/\/.*\n)*\n/, '') +
  '\n/** Every error code (errorCodes()). */\n' + union('DccErrorCode', api.errorCodes()) +
  '\n/** Every check-failure code (checkCodes()). */\n' + union('CheckCode', api.checkCodes()) +
  '\n/** Every validation issue / finding code (issueCodes()). */\n' + union('IssueCode', api.issueCodes()) +
  '\n' + errorClasses.join('\n');
write(path.join(pkg, 'index.d.ts'), types);
write(path.join(pkg, 'index.d.cts'), types);

const pkgJson = {
  name: 'dcc-kit',
  version,
  description:
    'Issue and verify EU Digital COVID Certificates (HC1: QR codes) in the browser and in Node: Rust core compiled to WebAssembly, no server round trip.',
  license: 'Apache-2.0',
  repository: { type: 'git', url: 'https://github.com/dcc-kit/dcc-kit', directory: 'bindings/dcc-wasm' },
  keywords: ['dcc', 'hcert', 'eu-dcc', 'covid', 'certificate', 'qr', 'cose', 'cbor', 'webassembly'],
  type: 'module',
  main: './index.cjs',
  module: './index.js',
  types: './index.d.ts',
  exports: {
    '.': {
      node: {
        import: { types: './index.d.ts', default: './index.node.js' },
        require: { types: './index.d.cts', default: './index.cjs' },
      },
      import: { types: './index.d.ts', default: './index.js' },
      require: { types: './index.d.cts', default: './index.cjs' },
      default: './index.js',
    },
    './dcc_kit_bg.wasm': './dcc_kit_bg.wasm',
    './pdf/dcc_kit_pdf_bg.wasm': './pdf/dcc_kit_pdf_bg.wasm',
    './package.json': './package.json',
  },
  files: [
    'index.js', 'index.node.js', 'index.cjs', 'index.d.ts', 'index.d.cts',
    'dcc_kit.js', 'dcc_kit_node.cjs', 'dcc_kit_bg.wasm',
    'pdf/dcc_kit_pdf.js', 'pdf/dcc_kit_pdf_node.cjs', 'pdf/dcc_kit_pdf_bg.wasm',
    'api.js', 'api.cjs', 'node-signer.cjs', 'examples/kms-signer.mjs', 'README.md',
  ],
  engines: { node: '>=18' },
};
write(path.join(pkg, 'package.json'), JSON.stringify(pkgJson, null, 2) + '\n');
fs.copyFileSync(path.join(crate, 'README.md'), path.join(pkg, 'README.md'));

// 4. The demo page loads the browser build from demo/dcc-kit/.
fs.rmSync(demoLib, { recursive: true, force: true });
fs.mkdirSync(demoLib, { recursive: true });
fs.mkdirSync(path.join(demoLib, 'pdf'), { recursive: true });
for (const f of ['index.js', 'dcc_kit.js', 'dcc_kit_bg.wasm', 'api.js', 'pdf/dcc_kit_pdf.js', 'pdf/dcc_kit_pdf_bg.wasm']) {
  fs.copyFileSync(path.join(pkg, f), path.join(demoLib, f));
}

const measure = (raw, file) => {
  const wasm = fs.readFileSync(file);
  return { raw: fs.statSync(raw).size, optimised: wasm.length, gzip: zlib.gzipSync(wasm, { level: 9 }).length };
};
const sizes = measure(rawWasm, path.join(pkg, 'dcc_kit_bg.wasm'));
sizes.pdf = measure(rawPdfWasm, path.join(pkg, 'pdf', 'dcc_kit_pdf_bg.wasm'));
write(path.join(build, 'sizes.json'), JSON.stringify(sizes) + '\n');
console.log(
  `build: pkg/ ready (dcc-kit ${version}); dcc_kit_bg.wasm ${sizes.optimised} bytes, ` +
    `${sizes.gzip} gzipped (cargo output ${sizes.raw}); pdf/dcc_kit_pdf_bg.wasm ` +
    `${sizes.pdf.optimised} bytes, ${sizes.pdf.gzip} gzipped (cargo output ${sizes.pdf.raw})`,
);
