#pragma once

#include "core/db/database.h"

#include <QString>

#include <memory>

class TestDatabase;

// A Database in the dialect of `testDb` that can never be reached, for the 503 paths: nothing
// listens on port 1 (PostgreSQL); a SQLite file below a regular file cannot be created.
class UnreachableDatabase final
{
public:
    explicit UnreachableDatabase(const TestDatabase &testDb);
    Q_DISABLE_COPY_MOVE(UnreachableDatabase)

    bool isValid() const { return m_database != nullptr; }
    QString problem() const { return m_problem; }
    const Pitwall::Database &database() const { return *m_database; }

private:
    std::unique_ptr<Pitwall::Database> m_database;
    QString m_problem;
};
