#pragma once

#include <QString>

// What the test run was started with: the dialect a DATABASE test runs against and where the
// throwaway PostgreSQL cluster of tests/run-all.sh listens.
namespace TestEnvironment {

// "sqlite" or "postgres", from PITWALL_TEST_DIALECT (set per registered test); "sqlite" if unset.
QString dialect();

// Admin URL of the test cluster (PITWALL_TEST_PG_URL), e.g. postgres://pitwall@127.0.0.1:55432/postgres.
// Empty when no cluster is running.
QString postgresAdminUrl();

// True when PITWALL_REQUIRE_POSTGRES=1: a PostgreSQL test must then fail instead of skipping.
bool postgresRequired();

} // namespace TestEnvironment
