"""The OpenAPI 3.1 description of the public JSON (/api/openapi.json), written by hand.

Written out rather than generated so the API keeps its answers and errors exactly as they
are (events/api.py); the tests validate this document with openapi-spec-validator and check
real answers against its schemas, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from . import hsds

DATE = {"type": "string", "format": "date", "examples": ["2026-04-01"]}
STAMP = {"type": "string", "format": "date-time"}
NULLABLE_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


ERRORS = _json(
    _ref("Errors"), "A value to fix: each field named, with a sentence saying what to give."
)
PAGING = [
    _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
    _query(
        "per_page",
        "Results on a page (50 unless given).",
        {"type": "integer", "minimum": 1, "maximum": 200},
    ),
]


def _hsds_list(what: str, schema_url: str) -> dict:
    return _json(
        {
            "allOf": [_ref("HsdsPage")],
            "properties": {
                "contents": {
                    "type": "array",
                    "items": {"type": "object", "description": f"An HSDS {what}: {schema_url}"},
                }
            },
        },
        f"A page of {what} records (HSDS 3.0).",
    )


SCHEMA_BASE = "https://github.com/openreferral/specification/blob/3.0/schema/"

COMPONENTS = {
    "Errors": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "examples": [
                    {"from": ["Please give the “From” date as a date, for example 2026-12-24."]}
                ],
            }
        },
    },
    "Access": {
        "type": "object",
        "properties": {
            name: {"type": "boolean"}
            for name in (
                "step_free",
                "accessible_toilet",
                "hearing_loop",
                "quiet_space",
                "baby_change",
                "alcohol_free",
            )
        },
    },
    "Venue": {
        "type": ["object", "null"],
        "required": ["name", "address", "postcode", "access"],
        "properties": {
            "name": {"type": "string"},
            "address": {"type": "array", "items": {"type": "string"}},
            "postcode": {"type": "string"},
            "access": _ref("Access"),
        },
    },
    "Group": {
        "type": ["object", "null"],
        "required": ["name", "url"],
        "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
    },
    "Event": {
        "type": "object",
        "required": ["uid", "title", "summary", "url", "group", "categories", "free"],
        "properties": {
            "uid": {"type": "string", "format": "uuid"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "url": NULLABLE_STRING,
            "group": _ref("Group"),
            "categories": {"type": "array", "items": {"type": "string"}},
            "free": {"type": "boolean"},
            "cost": {"type": "string"},
            "open_to": {"type": "string", "enum": ["everyone", "recovery"]},
            "alcohol_free": {"type": "boolean"},
            "family_friendly": {"type": "boolean"},
            "bsl": {"type": "boolean"},
            "welcomer": {"type": "boolean"},
            "online_url": NULLABLE_STRING,
        },
    },
    "Occurrence": {
        "type": "object",
        "required": ["id", "event", "start", "end", "original_start", "status", "note", "venue"],
        "properties": {
            "id": {"type": "integer"},
            "event": _ref("Event"),
            "start": STAMP | {"description": "In the event's own time zone, with its offset."},
            "end": STAMP,
            "original_start": STAMP | {"description": "The planned start, before any move."},
            "status": {"type": "string", "enum": ["scheduled", "cancelled", "moved"]},
            "note": {"type": "string", "description": "A cancelled date's reason, or a note."},
            "venue": _ref("Venue"),
        },
    },
    "OccurrencePage": {
        "type": "object",
        "required": ["count", "page", "pages", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "next": NULLABLE_STRING,
            "previous": NULLABLE_STRING,
            "results": {"type": "array", "items": _ref("Occurrence")},
        },
    },
    "Meeting": {
        "type": "object",
        "description": "A weekly meeting in the code4recovery Meeting Guide format.",
        "required": ["name", "slug", "day", "time"],
        "properties": {
            "name": {"type": "string", "maxLength": 255},
            "slug": {"type": "string", "maxLength": 64},
            "day": {"type": "integer", "minimum": 0, "maximum": 6, "description": "0 is Sunday"},
            "time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
            "end_time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
            "timezone": {"type": "string", "examples": ["Europe/London"]},
            "types": {"type": "array", "items": {"type": "string"}},
            "notes": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "updated": {"type": "string", "description": "UTC, YYYY-MM-DD HH:MM:SS"},
            "group": {"type": "string"},
            "conference_url": {"type": "string", "format": "uri"},
            "location": {"type": "string"},
            "location_notes": {"type": "string"},
            "address": {"type": "string"},
            "city": {"type": "string"},
            "postal_code": {"type": "string"},
            "country": {"type": "string"},
            "formatted_address": {"type": "string"},
            "approximate": {"type": "string", "enum": ["yes", "no"]},
            "entity": {"type": "string"},
            "entity_url": {"type": "string", "format": "uri"},
            "entity_email": {"type": "string", "format": "email"},
        },
    },
    "HsdsPage": {
        "type": "object",
        "description": "The HSDS API reference's Page: counts, then `contents`.",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {
            "total_items": {"type": "integer"},
            "total_pages": {"type": "integer"},
            "page_number": {"type": "integer"},
            "size": {"type": "integer"},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array"},
        },
    },
}


def openapi_document(*, server_url: str, title: str) -> dict:
    """Give the OpenAPI 3.1 document of the public JSON, served from `server_url`."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": "1",
            "description": (
                "Read-only, public and open to any site (CORS). Times are in each event's "
                "own time zone, with its offset. A bad value gets a 400 naming the value "
                "to fix."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/occurrences/": {
                "get": {
                    "operationId": "listOccurrences",
                    "summary": "Upcoming dates, 50 a page, in order",
                    "tags": ["Calendar"],
                    "parameters": [
                        _query(
                            "group", "A group's slug (hosted and co-hosted).", {"type": "string"}
                        ),
                        _query("category", "A category's slug.", {"type": "string"}),
                        _query("from", "The first day (YYYY-MM-DD).", DATE),
                        _query("to", "The last day (YYYY-MM-DD).", DATE),
                        PAGING[0],
                    ],
                    "responses": {
                        "200": _json(_ref("OccurrencePage"), "A page of dates."),
                        "400": ERRORS,
                    },
                }
            },
            "/meetings.json": {
                "get": {
                    "operationId": "listMeetings",
                    "summary": "Weekly meetings for meeting-finder apps (Meeting Guide format)",
                    "tags": ["Meeting finders"],
                    "externalDocs": {"url": "https://github.com/code4recovery/spec"},
                    "responses": {
                        "200": _json(
                            {"type": "array", "items": _ref("Meeting")}, "Every weekly meeting."
                        ),
                        "304": {"description": "Not modified (the ETag sent is current)."},
                    },
                }
            },
            "/openreferral/": {
                "get": {
                    "operationId": "hsdsRoot",
                    "summary": "The Open Referral (HSDS) version and profile",
                    "tags": ["Open Referral (HSDS 3.0)"],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["version", "profile", "openapi_url"],
                                "properties": {
                                    "version": {"type": "string", "const": hsds.VERSION},
                                    "profile": {"type": "string", "format": "uri"},
                                    "openapi_url": {"type": "string", "format": "uri"},
                                },
                            },
                            "What this API is.",
                        )
                    },
                }
            },
            "/openreferral/services": {
                "get": {
                    "operationId": "hsdsServices",
                    "summary": "Events as HSDS services",
                    "tags": ["Open Referral (HSDS 3.0)"],
                    "parameters": [
                        *PAGING,
                        _query(
                            "organization_id",
                            "Only this organisation's services.",
                            {"type": "string", "format": "uuid"},
                        ),
                        _query("modified_after", "Only those changed on or after this.", STAMP),
                        _query(
                            "full",
                            "true: each service with its schedules, locations and costs.",
                            {"type": "boolean"},
                        ),
                    ],
                    "responses": {
                        "200": _hsds_list("service", SCHEMA_BASE + "service.json"),
                        "400": ERRORS,
                    },
                }
            },
            "/openreferral/services/{id}": {
                "get": {
                    "operationId": "hsdsService",
                    "summary": "One event as a full HSDS service",
                    "tags": ["Open Referral (HSDS 3.0)"],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": _json(
                            {"type": "object", "description": SCHEMA_BASE + "service.json"},
                            "The service, with its schedules, locations and costs.",
                        ),
                        "404": _json(_ref("Errors"), "No public service has this id."),
                    },
                }
            },
            "/openreferral/organizations": {
                "get": {
                    "operationId": "hsdsOrganizations",
                    "summary": "Groups as HSDS organisations",
                    "tags": ["Open Referral (HSDS 3.0)"],
                    "parameters": PAGING,
                    "responses": {
                        "200": _hsds_list("organization", SCHEMA_BASE + "organization.json"),
                        "400": ERRORS,
                    },
                }
            },
            "/openreferral/locations": {
                "get": {
                    "operationId": "hsdsLocations",
                    "summary": "Venues, with their access facts, as HSDS locations",
                    "tags": ["Open Referral (HSDS 3.0)"],
                    "parameters": PAGING,
                    "responses": {
                        "200": _hsds_list("location", SCHEMA_BASE + "location.json"),
                        "400": ERRORS,
                    },
                }
            },
        },
        "components": {"schemas": COMPONENTS},
    }
