/** The one error shape of the API (docs/api.md). */
export type ApiFieldError = { field: string; message: string };

export type ApiErrorBody = {
  status: number;
  code: string;
  message: string;
  errors: ApiFieldError[];
};
