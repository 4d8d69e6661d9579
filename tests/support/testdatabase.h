#pragma once

#include "core/db/database.h"
#include "core/db/databasesettings.h"

#include <QString>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

// A fresh, empty database for one test, in the dialect under test (TestEnvironment::dialect()):
// a SQLite file in a temporary directory, or `CREATE DATABASE pw_test_<random>` on the cluster
// at TestEnvironment::postgresAdminUrl(), dropped again on destruction.
//
//     TestDatabase testDb;
//     PITWALL_REQUIRE_TEST_DATABASE(testDb);
//     QSqlDatabase db = testDb.database().connection();
class TestDatabase final
{
public:
    TestDatabase();
    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    bool isValid() const { return m_database != nullptr; }
    // Why it is not valid, and whether the test should be skipped (PostgreSQL variant without a
    // cluster configured, and PITWALL_REQUIRE_POSTGRES unset) instead of failing.
    QString problem() const { return m_problem; }
    bool shouldSkip() const { return m_skip; }

    // The DATABASE_URL value of this database.
    QString url() const { return m_url; }
    Pitwall::Dialect dialect() const { return m_database->dialect(); }
    Pitwall::Database &database() { return *m_database; }
    // A scratch directory that lives as long as the database.
    QString scratchDir() const { return m_dir.path(); }

private:
    bool createPostgres(QString *problem);

    QTemporaryDir m_dir;
    std::unique_ptr<Pitwall::Database> m_admin;
    QString m_postgresName;
    QString m_url;
    std::unique_ptr<Pitwall::Database> m_database;
    QString m_problem;
    bool m_skip = false;
};

// Skips or fails the calling test function when the TestDatabase could not be set up.
#define PITWALL_REQUIRE_TEST_DATABASE(testDatabase)                         \
    do {                                                                    \
        if (!(testDatabase).isValid()) {                                    \
            if ((testDatabase).shouldSkip())                                \
                QSKIP(qPrintable((testDatabase).problem()));                \
            QFAIL(qPrintable((testDatabase).problem()));                    \
        }                                                                   \
    } while (false)
