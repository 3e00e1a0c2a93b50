"""Leases on every backend: one owner at a time, until its lease runs out."""

from storage.ports import Storage
from storage.records import Lease

NOW = 1_700_000_000


def test_a_free_name_is_claimed_and_then_refused_to_others_until_it_runs_out(
    storage: Storage,
) -> None:
    leases = storage.leases
    mine = Lease("upload:a/1", "host/1/aa", NOW + 30)
    assert leases.claim(mine, NOW) is None
    theirs = Lease("upload:a/1", "host/2/bb", NOW + 60)
    assert leases.claim(theirs, NOW + 29) == mine
    assert leases.claim(theirs, NOW + 30) is None  # ours ran out
    assert leases.claim(mine, NOW + 31) == theirs


def test_claiming_ones_own_lease_again_renews_it(storage: Storage) -> None:
    leases = storage.leases
    assert leases.claim(Lease("n", "me", NOW + 10), NOW) is None
    assert leases.claim(Lease("n", "me", NOW + 40), NOW + 5) is None
    assert leases.claim(Lease("n", "other", NOW + 50), NOW + 20) == Lease("n", "me", NOW + 40)


def test_a_named_holder_can_be_replaced_before_its_lease_runs_out(storage: Storage) -> None:
    leases = storage.leases
    assert leases.claim(Lease("n", "gone", NOW + 100), NOW) is None
    assert leases.claim(Lease("n", "heir", NOW + 30), NOW, replacing="someone else") is not None
    assert leases.claim(Lease("n", "heir", NOW + 30), NOW, replacing="gone") is None
    assert leases.claim(Lease("n", "third", NOW + 30), NOW) == Lease("n", "heir", NOW + 30)


def test_only_the_holder_releases_a_lease(storage: Storage) -> None:
    leases = storage.leases
    assert leases.claim(Lease("n", "me", NOW + 100), NOW) is None
    leases.release("n", "other")
    assert leases.claim(Lease("n", "other", NOW + 100), NOW) is not None
    leases.release("n", "me")
    assert leases.claim(Lease("n", "other", NOW + 100), NOW) is None


def test_leases_of_different_names_are_independent(storage: Storage) -> None:
    leases = storage.leases
    assert leases.claim(Lease("upload:a/1", "me", NOW + 100), NOW) is None
    assert leases.claim(Lease("upload:a/2", "other", NOW + 100), NOW) is None
