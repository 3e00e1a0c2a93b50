"""OpenAPI operation ids that read as calls: `uploads-list` becomes `uploadsList()` in the
generated clients, not `list_uploads_uploads_get`."""

from fastapi.routing import APIRoute


def operation_id(route: APIRoute) -> str:
    """The route function's name (`uploads_list`), as the clients call it."""
    return route.name.replace("_", "-")


def operator_operation_id(route: APIRoute) -> str:
    """The same route under `/app/{app_id}`, for the operator's console."""
    return f"app-{operation_id(route)}"
