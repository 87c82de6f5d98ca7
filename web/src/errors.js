// The API's 4xx bodies ({"error", "field", "problems": [{"field"?, "message"}]}) as a list of problems, each
// with the name of the form input it is about. The API names vehicle fields `vehicle.length_mm` and some cost
// assumptions by their CLI option (`--km-per-l`); the form's inputs are named as the query parameters.

// 'vehicle.length_mm' -> 'length_mm'; '--km-per-l' -> 'km_per_l'; 'date' -> 'date'; null stays null.
export function inputNameForField(field) {
  if (!field) return null;
  let name = String(field);
  if (name.startsWith('vehicle.')) name = name.slice('vehicle.'.length);
  if (name.startsWith('--')) name = name.slice(2);
  return name.replaceAll('-', '_');
}

// Every problem of an error body, each as {field, input, message}. A problem that names no field is about
// the body's field (the API names it once for the whole body).
export function problemsOf(body) {
  if (!body || typeof body !== 'object') return [];
  const top = body.field ?? body.option ?? null;
  const listed = Array.isArray(body.problems) && body.problems.length > 0
    ? body.problems
    : [{ field: top, message: body.error ?? 'the request was refused' }];
  return listed.map((p) => {
    const field = p.field ?? p.option ?? top;
    return { field, input: inputNameForField(field), message: String(p.message ?? body.error ?? '') };
  });
}

// An error a view can show: from an API reply that was not 2xx, or from a failed fetch.
export class ApiError extends Error {
  constructor({ status, body, endpoint, network = false, message }) {
    super(message ?? body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.endpoint = endpoint;
    this.network = network;
    this.problems = problemsOf(body);
  }
}

// The sentence a view shows for an error: the API's message, or what went wrong on the way.
export function errorSentence(error) {
  if (error.network) return `Could not reach the keipath server (${error.message}). Check your connection and ask again.`;
  if (error.status === 404 && error.body && !error.body.field) {
    return `This server has no ${error.endpoint} yet (404).`;
  }
  return error.message;
}
