#include "unreachabledatabase.h"

#include "testdatabase.h"

#include <QFile>

using namespace Qt::StringLiterals;

UnreachableDatabase::UnreachableDatabase(const TestDatabase &testDb)
{
    QFile blocker(testDb.scratchDir() + u"/unreachable-blocker"_s);
    if (!blocker.open(QIODevice::WriteOnly)) {
        m_problem = blocker.errorString();
        return;
    }
    const QString url = testDb.dialect().isPostgres()
        ? u"postgres://pitwall@127.0.0.1:1/none?connect_timeout=2"_s
        : u"sqlite://"_s + blocker.fileName() + u"/relay.db"_s;
    const auto settings = Pitwall::DatabaseSettings::parse(url, testDb.scratchDir(), &m_problem);
    if (settings)
        m_database = std::make_unique<Pitwall::Database>(*settings, u"unreachable"_s);
}
