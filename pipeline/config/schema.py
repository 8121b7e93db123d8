"""The shape config.yaml must have (Cerberus); what each key means is docs/configuration.md."""

_STR = {"type": "string", "empty": False, "required": True}
_POS_INT = {"type": "integer", "min": 1, "required": True}
_OFFICIAL = {
    "type": "dict",
    "required": True,
    "schema": {"nama": _STR, "nip": _STR, "jabatan": _STR},
}

SCHEMA = {
    "organisation": {
        "type": "dict",
        "required": True,
        "schema": {
            "ministry": _STR,
            "name": _STR,
            "short_name": _STR,
            "address": _STR,
            "contact": _STR,
            "city": _STR,
        },
    },
    "officials": {
        "type": "dict",
        "required": True,
        "schema": {"kapus": _OFFICIAL, "kabid": _OFFICIAL, "kasubbid": _OFFICIAL},
    },
    "numbering": {
        "type": "dict",
        "required": True,
        "schema": {"agenda_masuk": _STR, "surat_keluar": _STR},
    },
    "klasifikasi": {
        "type": "dict",
        "required": True,
        "schema": {"nota_dinas": _STR},
    },
    "folders": {
        "type": "dict",
        "required": True,
        "schema": {k: _STR for k in ("templates", "inbox", "outbox", "archive")},
    },
    "register": {
        "type": "dict",
        "required": True,
        "schema": {
            "url": {"type": "string", "nullable": True, "required": True},
            "host": {"type": "string", "nullable": True, "required": True},
        },
    },
    "watch": {
        "type": "dict",
        "required": True,
        "schema": {
            "stable_seconds": {"type": "number", "min": 0, "required": True},
            "polling": {"type": "boolean", "required": True},
            "poll_interval_seconds": {"type": "number", "min": 0.1, "required": True},
            "rescan_seconds": {"type": "number", "min": 1, "required": True},
        },
    },
    "limits": {
        "type": "dict",
        "required": True,
        "schema": {
            "max_file_mb": {"type": "number", "min": 0.001, "required": True},
            "max_zip_entries": _POS_INT,
            "max_zip_uncompressed_mb": {"type": "number", "min": 0.001, "required": True},
            "max_yaml_aliases": {"type": "integer", "min": 0, "required": True},
            "max_csv_rows": _POS_INT,
            "max_yaml_records": _POS_INT,
            "max_xml_elements": _POS_INT,
            "max_xml_depth": _POS_INT,
            "max_sheet_cells": _POS_INT,
            "max_read_seconds": {"type": "number", "min": 0, "required": True},
            "max_note_chars": _POS_INT,
            "max_text_chars": _POS_INT,
            "max_registration_rows": _POS_INT,
            "max_pages": _POS_INT,
            "max_image_pixels": _POS_INT,
            "max_pdf_uncompressed_mb": {"type": "number", "min": 0.001, "required": True},
            "ocr_seconds_per_page": {"type": "number", "min": 1, "required": True},
            "ocr_seconds_per_file": {"type": "number", "min": 1, "required": True},
        },
    },
    "ocr": {
        "type": "dict",
        "required": True,
        "schema": {
            "enabled": {"type": "boolean", "required": True},
            "language": {"type": "string", "required": True, "regex": "^[a-z_]+(\\+[a-z_]+)*$"},
        },
    },
    "timezone": _STR,
    "laporan": {
        "type": "dict",
        "required": True,
        "schema": {
            "jam_kerja": {
                "type": "dict",
                "required": True,
                "keysrules": {
                    "type": "string",
                    "allowed": ["senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"],
                },
                "valuesrules": {"type": "list", "nullable": True, "schema": {"type": "string"}},
            },
            "cuti_bersama": {"type": "boolean", "required": True},
            "libur_tambahan": {"type": "list", "nullable": True, "schema": {"type": ["string", "date"]}},
        },
    },
    "documents": {
        "type": "dict",
        "required": True,
        "keysrules": {"type": "string", "regex": "^[a-z][a-z0-9_]*$"},
        "valuesrules": {"type": "string", "empty": False},
    },
    "access": {
        "type": "dict",
        "required": True,
        "schema": {
            "roles": {
                "type": "dict",
                "required": True,
                "keysrules": {"type": "string", "regex": "^[a-z][a-z0-9_]*$"},
                "valuesrules": {"type": "list", "nullable": True, "schema": {"type": "string", "empty": False}},
            },
            "atas_nama": {
                "type": "dict",
                "required": True,
                "nullable": True,
                "keysrules": {"type": "string", "regex": "^[a-z][a-z0-9_]*$"},
                "valuesrules": {"type": "list", "nullable": True, "schema": {"type": "string", "empty": False}},
            },
            "keputusan_dari_inbox": {"type": "boolean", "required": True},
            "diteruskan_kepada": {
                "type": "dict",
                "required": True,
                "keysrules": {"type": "string", "regex": "^[a-z][a-z0-9_]*$"},
                "valuesrules": {"type": "list", "nullable": True, "schema": {"type": "string", "empty": False}},
            },
        },
    },
    "signing": {
        "type": "dict",
        "required": True,
        "schema": {
            "method": {"type": "string", "required": True, "allowed": ["none", "pkcs12", "bsre"]},
            "certificate": {"type": "string", "nullable": True},
            "passphrase_env": {"type": "string", "required": True, "regex": "^[A-Z_][A-Z0-9_]*$"},
            "tsa_url": {"type": "string", "nullable": True},
            "trust_roots": {"type": "list", "nullable": True, "schema": {"type": "string"}},
            "scan_sends": {"type": "boolean", "required": True},
            "bsre": {
                "type": "dict",
                "required": True,
                "schema": {
                    "url": {"type": "string", "nullable": True},
                    "user_env": {"type": "string", "required": True, "regex": "^[A-Z_][A-Z0-9_]*$"},
                    "password_env": {"type": "string", "required": True, "regex": "^[A-Z_][A-Z0-9_]*$"},
                },
            },
        },
    },
    "pdf": {
        "type": "dict",
        "required": True,
        "schema": {
            "enabled": {"type": "boolean", "required": True},
            "timeout_seconds": {"type": "number", "min": 1, "required": True},
            "retry_seconds": {"type": "number", "min": 1, "required": True},
            "warm": {"type": "boolean", "required": True},
            "restart_after": {"type": "integer", "min": 1, "required": True},
            "uno_python": {"type": "string", "required": True},
        },
    },
    "verification": {
        "type": "dict",
        "required": True,
        "schema": {"base_url": {"type": "string", "nullable": True}},
    },
    "email": {
        "type": "dict",
        "required": True,
        "schema": {
            "host": {"type": "string", "nullable": True},
            "port": {"type": "integer", "min": 1, "max": 65535, "required": True},
            "security": {"type": "string", "required": True, "allowed": ["starttls", "ssl", "none"]},
            "user": {"type": "string", "nullable": True},
            "password_env": {"type": "string", "required": True, "regex": "^[A-Z_][A-Z0-9_]*$"},
            "sender": {"type": "string", "nullable": True},
            "digest_minutes": {"type": "number", "min": 0, "required": True},
            "timeout_seconds": {"type": "number", "min": 1, "required": True},
            "to": {
                "type": "dict",
                "nullable": True,
                "keysrules": {"type": "string", "empty": False},
                "valuesrules": {"type": "string", "empty": False},
            },
        },
    },
    "logging": {
        "type": "dict",
        "required": True,
        "schema": {
            "file": {"type": "string", "nullable": True},
            "level": {"type": "string", "required": True, "allowed": ["debug", "info", "warning", "error"]},
        },
    },
    "rules": {
        "type": "dict",
        "required": True,
        "schema": {
            "panitia_min_members": _POS_INT,
            "panitia_odd": {"type": "boolean", "required": True},
            "panitia_ketua": _POS_INT,
            "require_certificate": {"type": "boolean", "required": True},
            "method_thresholds": {
                "type": "dict",
                "required": True,
                "keysrules": {"type": "string"},
                "valuesrules": {
                    "type": "dict",
                    "nullable": True,
                    "schema": {"min": {"type": "integer", "min": 0}, "max": {"type": "integer", "min": 0}},
                },
            },
        },
    },
    "reference": {
        "type": "dict",
        "required": True,
        "schema": {
            "employees": {"type": "string", "nullable": True},
            "budget": {"type": "string", "nullable": True},
        },
    },
    "sop": {
        "type": "dict",
        "required": True,
        "schema": {
            "code": _STR,
            "title": _STR,
            "steps": {
                "type": "list",
                "required": True,
                "minlength": 2,
                "schema": {
                    "type": "dict",
                    "schema": {
                        "number": _POS_INT,
                        "key": _STR,
                        "kind": {
                            "type": "string",
                            "required": True,
                            "allowed": ["input", "machine", "human"],
                        },
                        "actor": _STR,
                        "activity": _STR,
                        "target_minutes": {"type": "integer", "min": 0, "required": True},
                        "output": _STR,
                        "handler": {"type": "string", "nullable": True, "empty": False},
                        "role": {"type": ["string", "list"], "nullable": True, "schema": {"type": "string"}},
                        "early": {"type": "boolean"},
                        "reject_to": {"type": "string", "nullable": True, "empty": False},
                        "document": {"type": "string", "nullable": True, "empty": False},
                    },
                },
            },
        },
    },
}
