"""How fast a new practice becomes usable: claiming a pre-migrated spare schema versus
django-tenants' plain create-and-migrate, for the same apps, in the same run.

    .venv/bin/python -m tests.bench.provisioning [--claims 20] [--migrations 5]
"""

import argparse
import secrets
import statistics

from tests.bench.harness import bench_database, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=20)
    parser.add_argument("--migrations", type=int, default=5)
    args = parser.parse_args()

    with bench_database():
        from accounts.models import Role, User
        from tenants.models import Practice
        from tenants.provisioning import practice_claim_spare, spares_replenish

        print(f"Preparing {args.claims} spare schemas (the background work)…", flush=True)
        spares_replenish(target=args.claims)

        from django.contrib.auth.hashers import Argon2PasswordHasher

        argon2 = Argon2PasswordHasher()
        hash_samples = [
            timed(lambda: argon2.encode("bench-password-123", argon2.salt())) for _ in range(5)
        ]
        owner_template = User(email="x@example.com", name="Bench Owner", role=Role.OWNER)
        owner_template.set_password("bench-password-123")

        claim_samples = []
        for n in range(args.claims):
            owner = User(email=f"owner{n}@bench.example.com", name="Bench", role=Role.OWNER)
            owner.password = owner_template.password
            claim_samples.append(
                timed(
                    lambda n=n, owner=owner: practice_claim_spare(
                        name=f"Bench {n}", slug=f"bench-{n}", owner=owner, time_zone="UTC"
                    )
                )
            )

        class MigratedPractice(Practice):
            auto_create_schema = True

            class Meta:
                proxy = True
                app_label = "tenants"

        migrate_samples = []
        for _ in range(args.migrations):
            migrate_samples.append(
                timed(
                    lambda: MigratedPractice(
                        schema_name="m_" + secrets.token_hex(5), name="Migrated"
                    ).save(verbosity=0)
                )
            )

    claim = statistics.median(claim_samples)
    migrate = statistics.median(migrate_samples)
    print(f"spare-schema claim (signup path):  {summary(claim_samples)}")
    print(f"migrate-on-create (django-tenants): {summary(migrate_samples)}")
    print(f"ratio: claim is {migrate / claim:.0f}x faster (goal: median <= 50 ms)")
    print(f"argon2 password hash at signup (done before the transaction): {summary(hash_samples)}")


if __name__ == "__main__":
    main()
