"""Builds every service of one running instance over one storage backend."""

from dataclasses import dataclass

from services.accounts import AccountService
from services.alerts import AlertService
from services.api_keys import ApiKeyService
from services.applications import ApplicationService
from services.audit import AuditService
from services.cursors import CursorSeal
from services.health import HealthService
from services.idempotency import IdempotencyService
from services.incoming import Spool
from services.key_limits import KeyLimits
from services.leases import LeaseKeeper
from services.processing import UploadProcessor
from services.purges import ApplicationPurge
from services.repeated_files import RepeatedFiles
from services.retention import RetentionSweep
from services.sign_in_throttle import SignInThrottle
from services.uploads import UploadService
from services.usage import UsageService
from settings import Settings
from storage.ports import Storage


@dataclass(frozen=True)
class Services:
    accounts: AccountService
    applications: ApplicationService
    api_keys: ApiKeyService
    audit: AuditService
    key_limits: KeyLimits
    uploads: UploadService
    idempotency: IdempotencyService
    usage: UsageService
    alerts: AlertService
    health: HealthService
    purge: ApplicationPurge
    spool: Spool
    retention: RetentionSweep | None  # None: uploads are kept forever


def build_services(settings: Settings, storage: Storage) -> Services:
    jwt_secret, pepper = settings.signing_secrets()
    cursors = CursorSeal(jwt_secret)
    audit = AuditService(storage.audit, cursors)
    key_limits = KeyLimits(storage.request_counters)
    api_keys = ApiKeyService(
        storage.api_keys,
        storage.applications,
        pepper,
        settings.key_cache_seconds,
        audit=audit,
        limits=key_limits,
    )
    purge = ApplicationPurge(storage)
    spool = Spool(settings.data_dir / "incoming", settings.max_upload_bytes)
    alerts = AlertService(storage.alerts, storage.applications, storage.alert_channels, cursors)
    repeats = RepeatedFiles(
        storage.recent_files,
        storage.uploads,
        storage.readings,
        settings.duplicate_window_hours,
        settings.inline_ingest_bytes,
    )
    return Services(
        accounts=AccountService(
            storage.users,
            storage.revoked_tokens,
            jwt_secret,
            settings.jwt_expire_minutes,
            SignInThrottle(),
        ),
        applications=ApplicationService(
            storage.applications, purge, on_change=api_keys.forget_app, audit=audit
        ),
        api_keys=api_keys,
        audit=audit,
        key_limits=key_limits,
        uploads=UploadService(
            storage.uploads,
            storage.objects,
            storage.applications,
            purge,
            repeats,
            UploadProcessor(
                storage.uploads,
                storage.readings,
                storage.meters,
                storage.objects,
                storage.applications,
                alerts,
                repeats,
                spool,
                LeaseKeeper(storage.leases, settings.upload_lease_seconds),
            ),
            cursors,
            settings.inline_ingest_bytes,
        ),
        idempotency=IdempotencyService(storage.idempotency_keys),
        usage=UsageService(storage.readings, storage.meters, cursors),
        alerts=alerts,
        health=HealthService(storage.lifecycle),
        purge=purge,
        spool=spool,
        retention=(
            RetentionSweep(storage.uploads, storage.objects, settings.retention_days)
            if settings.retention_days
            else None
        ),
    )
