"""The query parameters of every paged list."""

from typing import Annotated

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page")]
# Not checked here: whatever its shape, a cursor this API did not hand out is the seal's 400.
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
