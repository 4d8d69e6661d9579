#include "testdatabase.h"

#include "testenvironment.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using Pitwall::Database;
using Pitwall::DatabaseSettings;

namespace {

bool execAdmin(Database &admin, const QString &sql, QString *error)
{
    QSqlDatabase db = admin.connection(error);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    *error = query.lastError().text();
    return false;
}

} // namespace

TestDatabase::TestDatabase()
{
    const QString dialect = TestEnvironment::dialect();
    if (!m_dir.isValid()) {
        m_problem = u"cannot create a temporary directory: "_s + m_dir.errorString();
        return;
    }
    QString problem;
    if (dialect == u"sqlite") {
        m_url = u"sqlite://"_s + m_dir.filePath(u"test.db"_s);
    } else if (dialect == u"postgres") {
        if (!createPostgres(&problem)) {
            m_problem = problem;
            return;
        }
    } else {
        m_problem = u"PITWALL_TEST_DIALECT '%1' is neither sqlite nor postgres"_s.arg(dialect);
        return;
    }
    const auto settings = DatabaseSettings::parse(m_url, m_dir.path(), &problem);
    if (!settings) {
        m_problem = u"test database URL is invalid: "_s + problem;
        return;
    }
    m_database = std::make_unique<Database>(*settings, u"test"_s);
}

bool TestDatabase::createPostgres(QString *problem)
{
    const QString adminUrl = TestEnvironment::postgresAdminUrl();
    if (adminUrl.isEmpty()) {
        m_skip = !TestEnvironment::postgresRequired();
        *problem = u"the PostgreSQL variant needs PITWALL_TEST_PG_URL, e.g. run "
                   "`tests/support/pg-cluster.sh start /tmp/pwpg 55432` and set "
                   "PITWALL_TEST_PG_URL=postgres://pitwall@127.0.0.1:55432/postgres"_s;
        return false;
    }
    const auto adminSettings = DatabaseSettings::parse(adminUrl, m_dir.path(), problem);
    if (!adminSettings || adminSettings->kind() != Pitwall::Dialect::Kind::Postgres) {
        *problem = u"PITWALL_TEST_PG_URL is not a PostgreSQL URL: "_s + *problem;
        return false;
    }
    m_admin = std::make_unique<Database>(*adminSettings, u"test-admin"_s);
    const QString name = u"pw_test_"_s
            + QString::number(QRandomGenerator::global()->generate64(), 16);
    if (!execAdmin(*m_admin, u"CREATE DATABASE "_s + name, problem)) {
        *problem = u"cannot create a test database on %1: %2"_s.arg(adminSettings->redacted(),
                                                                     *problem);
        return false;
    }
    m_postgresName = name;
    // A later dbname wins in both the URL query and the key=value form.
    if (adminUrl.contains(u"://"))
        m_url = adminUrl + (adminUrl.contains(u'?') ? u'&' : u'?') + u"dbname="_s + name;
    else
        m_url = adminUrl + u" dbname="_s + name;
    return true;
}

TestDatabase::~TestDatabase()
{
    m_database.reset();
    if (m_postgresName.isEmpty())
        return;
    QString error;
    if (!execAdmin(*m_admin, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_postgresName),
                   &error)) {
        qWarning("cannot drop test database %s: %s", qPrintable(m_postgresName),
                 qPrintable(error));
    }
}
