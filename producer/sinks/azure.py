"""Azure Blob Storage sink (works on ADLS Gen2 / hierarchical-namespace accounts too).

Identity: an Entra ID token from ``DefaultAzureCredential`` (managed identity in Azure,
workload identity in CI, the Azure CLI on a laptop). There is no code path for account
keys, SAS tokens or connection strings.

Atomicity and retries: a file is one Put Blob, or staged blocks plus one Put Block List
when it is larger than ``block_size``; either way nothing is visible until committed.
Blob names are deterministic per file and uploads overwrite, so a retry after a lost
response rewrites the same blob instead of adding a copy. Transient failures (timeouts,
connection resets, 408/500/503) are retried by the SDK's ExponentialRetry policy
(exponential backoff with jitter).
"""

from __future__ import annotations

from typing import Any

from azure.core.credentials import TokenCredential
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.identity import CredentialUnavailableError, DefaultAzureCredential
from azure.storage.blob import BlobServiceClient, ContentSettings, ExponentialRetry

from producer.config import AzureSettings
from producer.sinks.base import SinkError

NDJSON = ContentSettings(content_type="application/x-ndjson")
STORAGE_SCOPE = "https://storage.azure.com/.default"

NO_CREDENTIAL_HINT = (
    "no Azure credential available: on a laptop run `az login`; in Azure assign the producer "
    "managed identity (pass --client-id for a user-assigned one); in CI use workload identity "
    "(AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE)"
)


def default_credential(settings: AzureSettings) -> TokenCredential:
    if settings.client_id:
        return DefaultAzureCredential(
            managed_identity_client_id=settings.client_id, workload_identity_client_id=settings.client_id
        )
    return DefaultAzureCredential()


class AzureBlobSink:
    kind = "azure"

    def __init__(self, settings: AzureSettings, credential: TokenCredential | None = None, **transport: Any):
        """``transport``: extra azure-core transport options (e.g. ``connection_verify`` with a
        CA bundle for a private endpoint or the test emulator)."""
        self.settings = settings
        self.location = f"{settings.account_url.rstrip('/')}/{settings.container}/{settings.prefix}".rstrip("/")
        retry = ExponentialRetry(
            initial_backoff=settings.initial_backoff,
            increment_base=settings.increment_base,
            retry_total=settings.retry_total,
            random_jitter_range=settings.jitter,
        )
        self._credential = credential or default_credential(settings)
        self._service = BlobServiceClient(
            settings.account_url,
            credential=self._credential,
            retry_policy=retry,
            connection_timeout=settings.connection_timeout,
            read_timeout=settings.read_timeout,
            max_single_put_size=settings.block_size,
            max_block_size=settings.block_size,
            **transport,
        )
        self._container = self._service.get_container_client(settings.container)

    def blob_name(self, path: str) -> str:
        prefix = self.settings.prefix.strip("/")
        return f"{prefix}/{path}" if prefix else path

    def open(self) -> None:
        # A token first: without one, every storage request would be retried in vain.
        try:
            self._credential.get_token(STORAGE_SCOPE)
        except ClientAuthenticationError as exc:
            raise SinkError(f"{NO_CREDENTIAL_HINT}\n{exc.message}") from exc
        self._call(self._container.get_container_properties, f"container {self.settings.container!r}")

    def write(self, path: str, payload: bytes) -> None:
        name = self.blob_name(path)
        self._call(
            lambda: self._container.upload_blob(
                name,
                payload,
                overwrite=True,
                validate_content=True,
                content_settings=NDJSON,
                max_concurrency=self.settings.max_concurrency,
            ),
            f"blob {name!r}",
        )

    def _call(self, operation, what: str):
        url = self.settings.account_url
        try:
            return operation()
        except CredentialUnavailableError as exc:
            raise SinkError(f"{NO_CREDENTIAL_HINT}\n{exc.message}") from exc
        except ClientAuthenticationError as exc:
            raise SinkError(
                f"{url}: authentication/authorisation failed for {what}: the identity needs the "
                f"'Storage Blob Data Contributor' role on the container ({_reason(exc)})"
            ) from exc
        except ResourceNotFoundError as exc:
            raise SinkError(
                f"{url}: {what} not found ({_reason(exc)}); the infra creates the 'landing' container"
            ) from exc
        except HttpResponseError as exc:
            raise SinkError(
                f"{url}: {what} failed with HTTP {exc.status_code} ({_reason(exc)}) "
                f"after up to {self.settings.retry_total} retries"
            ) from exc
        except (ServiceRequestError, ServiceResponseError) as exc:
            raise SinkError(
                f"{url}: {what}: storage unreachable after up to {self.settings.retry_total} retries ({exc.message})"
            ) from exc


def _reason(exc: HttpResponseError) -> str:
    return exc.error_code or (exc.reason or "no detail")
