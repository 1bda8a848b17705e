/** Failures of the local VTL engine. On API Gateway both surface as a 500 to the client. */

/** The template text does not parse. */
export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
}

/** Rendering failed: a method threw, an override was set twice, a value had the wrong type. */
export class TemplateRenderError extends Error {
  override readonly name = 'TemplateRenderError';
}
