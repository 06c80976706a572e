// @pathcheck/dcc-sdk ships ES module sources behind the `esm` loader, which fails on Node 20
// ("SyntaxError: Invalid or unexpected token" inside esm.js). These module hooks load its
// sources directly: extensionless relative imports get `.js`, and lib/*.js load as ES modules.
export async function resolve(specifier, context, next) {
  if (
    context.parentURL?.includes('/@pathcheck/dcc-sdk/lib/') &&
    specifier.startsWith('.') &&
    !/\.[cm]?js$/.test(specifier)
  ) {
    return next(`${specifier}.js`, context);
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.includes('/@pathcheck/dcc-sdk/lib/')) return next(url, { ...context, format: 'module' });
  return next(url, context);
}
