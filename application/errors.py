"""The base of the errors the application raises for inbound adapters to translate (HTTP status, CLI
exit code). WB's errors live with the WB port (`application.ports.wb`), the cabinet use cases' errors in
`application.use_cases.errors`."""


class ApplicationError(Exception):
    """Base for failures a caller can act on."""
