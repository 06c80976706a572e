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
const HOT_CRATES = ['fast_qr', 'miniz_oxide', 'png'];
const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo');
console.log('build: cargo build -p dcc-wasm --target wasm32-unknown-unknown --release');
run(
  'cargo',
  [
    'build', '--target', 'wasm32-unknown-unknown', '-p', 'dcc-wasm', '--release',
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
const targetDir = JSON.parse(
  output('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: workspace }),
).target_directory;
const rawWasm = path.join(targetDir, 'wasm32-unknown-unknown', 'release', 'dcc_wasm.wasm');

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

// wasm-bindgen + wasm-opt take ~30 s; skip them when nothing they read has changed.
const key = sha256(
  Buffer.concat([
    fs.readFileSync(rawWasm),
    Buffer.from(bindgenVersion + output(wasmOpt, ['--version'])),
    fs.readFileSync(fileURLToPath(import.meta.url)),
  ]),
);
const keyFile = path.join(build, 'key');
const optimised = path.join(build, 'dcc_kit_bg.wasm');
if (fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key && fs.existsSync(optimised)) {
  console.log('build: wasm unchanged, reusing build/');
} else {
  fs.rmSync(build, { recursive: true, force: true });
  console.log('build: wasm-bindgen --target web / --target nodejs');
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', 'dcc_kit', '--out-dir', path.join(build, 'web'), rawWasm]);
  run('wasm-bindgen', ['--target', 'nodejs', '--no-typescript', '--out-name', 'dcc_kit', '--out-dir', path.join(build, 'node'), rawWasm]);
  const webWasm = fs.readFileSync(path.join(build, 'web', 'dcc_kit_bg.wasm'));
  const nodeWasm = fs.readFileSync(path.join(build, 'node', 'dcc_kit_bg.wasm'));
  // Both glues drive the same module; the package ships it once.
  if (!webWasm.equals(nodeWasm)) throw new Error('web and nodejs targets produced different .wasm');
  // The module's memory is its own (zero-filled, as every new wasm memory) and Rust places
  // nothing below 1 KiB: both assumptions let wasm-opt drop zero data and fold low addresses
  // (7 KB smaller, the same code).
  console.log('build: wasm-opt -Oz (npm binaryen)');
  run(wasmOpt, [
    '-Oz', '--zero-filled-memory', '--low-memory-unused', '--converge', '--strip-debug', '--strip-producers',
    '-o', optimised, path.join(build, 'web', 'dcc_kit_bg.wasm'),
  ]);
  fs.writeFileSync(keyFile, key);
}

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
// The cloud KMS example the README links to (read, not imported: not in `exports`).
write(path.join(pkg, 'examples', 'kms-signer.mjs'), read(crate, 'examples', 'kms-signer.mjs'));

const header = '// Generated by scripts/build.mjs. dcc-kit: EU Digital COVID Certificates, issue and verify.\n';
// Node, CommonJS: synchronous, no initialisation needed.
write(
  path.join(pkg, 'index.cjs'),
  header +
    "'use strict';\n" +
    "const { build } = require('./api.cjs');\n" +
    "const { nodeSigner } = require('./node-signer.cjs');\n" +
    "module.exports = build(require('./dcc_kit_node.cjs'), { fastSigner: nodeSigner });\n",
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
// await), then builds the same API.
write(
  path.join(pkg, 'index.js'),
  header +
    "import init, * as glue from './dcc_kit.js';\n" +
    "import { build } from './api.js';\n\n" +
    'await init();\n\n' +
    `export const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = build(glue);\n`,
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
    './package.json': './package.json',
  },
  files: [
    'index.js', 'index.node.js', 'index.cjs', 'index.d.ts', 'index.d.cts',
    'dcc_kit.js', 'dcc_kit_node.cjs', 'dcc_kit_bg.wasm',
    'api.js', 'api.cjs', 'node-signer.cjs', 'examples/kms-signer.mjs', 'README.md',
  ],
  engines: { node: '>=18' },
};
write(path.join(pkg, 'package.json'), JSON.stringify(pkgJson, null, 2) + '\n');
fs.copyFileSync(path.join(crate, 'README.md'), path.join(pkg, 'README.md'));

// 4. The demo page loads the browser build from demo/dcc-kit/.
fs.rmSync(demoLib, { recursive: true, force: true });
fs.mkdirSync(demoLib, { recursive: true });
for (const f of ['index.js', 'dcc_kit.js', 'dcc_kit_bg.wasm', 'api.js']) {
  fs.copyFileSync(path.join(pkg, f), path.join(demoLib, f));
}

const wasm = fs.readFileSync(path.join(pkg, 'dcc_kit_bg.wasm'));
const gz = zlib.gzipSync(wasm, { level: 9 }).length;
const sizes = { raw: fs.statSync(rawWasm).size, optimised: wasm.length, gzip: gz };
write(path.join(build, 'sizes.json'), JSON.stringify(sizes) + '\n');
console.log(
  `build: pkg/ ready (dcc-kit ${version}); dcc_kit_bg.wasm ${wasm.length} bytes, ` +
    `${gz} gzipped (cargo output ${sizes.raw})`,
);
