#include "core/db/databasesettings.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using Pitwall::DatabaseSettings;
using Pitwall::Dialect;
using Options = QList<DatabaseSettings::Option>;

class TestDatabaseSettings final : public QObject
{
    Q_OBJECT

private slots:
    void sqlite_data();
    void sqlite();
    void postgresUrl_data();
    void postgresUrl();
    void keyValue_data();
    void keyValue();
    void refused_data();
    void refused();
    void redacted_data();
    void redacted();
    void defaults();

private:
    DatabaseSettings parsed(const QString &value) const;
    const QString m_dataDir = u"/var/lib/pitwall"_s;
};

DatabaseSettings TestDatabaseSettings::parsed(const QString &value) const
{
    QString error;
    const auto settings = DatabaseSettings::parse(value, m_dataDir, &error);
    if (!settings)
        qWarning("unexpected parse error: %s", qPrintable(error));
    return settings.value_or(DatabaseSettings());
}

void TestDatabaseSettings::sqlite_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("path");

    QTest::newRow("empty") << u""_s << u"/var/lib/pitwall/pitwall.db"_s;
    QTest::newRow("blank") << u"   "_s << u"/var/lib/pitwall/pitwall.db"_s;
    QTest::newRow("absolute") << u"sqlite:///srv/db/edge.db"_s << u"/srv/db/edge.db"_s;
    QTest::newRow("absolute single slash") << u"sqlite:/srv/edge.db"_s << u"/srv/edge.db"_s;
    QTest::newRow("relative") << u"sqlite:edge.db"_s << u"/var/lib/pitwall/edge.db"_s;
    QTest::newRow("relative cleaned") << u"sqlite:sub/../x.db"_s << u"/var/lib/pitwall/x.db"_s;
    QTest::newRow("percent-encoded") << u"sqlite:///my%20dir/x.db"_s << u"/my dir/x.db"_s;
    QTest::newRow("scheme case") << u"SQLite:edge.db"_s << u"/var/lib/pitwall/edge.db"_s;
}

void TestDatabaseSettings::sqlite()
{
    QFETCH(QString, value);
    QFETCH(QString, path);
    QString error;
    const auto settings = DatabaseSettings::parse(value, m_dataDir, &error);
    QVERIFY2(settings, qPrintable(error));
    QCOMPARE(settings->kind(), Dialect::Kind::Sqlite);
    QCOMPARE(settings->dialect().name(), u"sqlite"_s);
    QCOMPARE(settings->sqlitePath(), path);
    QCOMPARE(settings->password(), QString());
}

void TestDatabaseSettings::postgresUrl_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<Options>("options");

    QTest::newRow("full") << u"postgres://edge:s3cret@db.example:6543/pitwall?sslmode=disable&connect_timeout=5"_s
                          << u"db.example"_s << 6543 << u"pitwall"_s << u"edge"_s << u"s3cret"_s
                          << Options{{u"sslmode"_s, u"disable"_s}, {u"connect_timeout"_s, u"5"_s}};
    QTest::newRow("postgresql, default port")
            << u"postgresql://edge@db/pitwall"_s << u"db"_s << 5432 << u"pitwall"_s << u"edge"_s
            << QString() << Options{};
    QTest::newRow("scheme case") << u"POSTGRES://db/x"_s << u"db"_s << 5432 << u"x"_s
                                 << QString() << QString() << Options{};
    QTest::newRow("percent-decoding, IPv6")
            << u"postgres://us%40er:p%3Ass%2Fw%20x@[::1]:5433/d%20b"_s << u"::1"_s << 5433
            << u"d b"_s << u"us@er"_s << u"p:ss/w x"_s << Options{};
    QTest::newRow("raw @ in password") << u"postgres://u:p@ss@db/x"_s << u"db"_s << 5432
                                       << u"x"_s << u"u"_s << u"p@ss"_s << Options{};
    QTest::newRow("socket directory as host")
            << u"postgres://%2Fvar%2Frun%2Fpostgresql/x"_s << u"/var/run/postgresql"_s << 5432
            << u"x"_s << QString() << QString() << Options{};
    QTest::newRow("query overrides path")
            << u"postgres://db/x?port=7000&dbname=other&application_name=edge%20one"_s << u"db"_s
            << 7000 << u"other"_s << QString() << QString()
            << Options{{u"application_name"_s, u"edge one"_s}};
    QTest::newRow("nothing but the scheme") << u"postgres://"_s << QString() << 5432 << QString()
                                            << QString() << QString() << Options{};
}

void TestDatabaseSettings::postgresUrl()
{
    QFETCH(QString, value);
    QString error;
    const auto settings = DatabaseSettings::parse(value, m_dataDir, &error);
    QVERIFY2(settings, qPrintable(error));
    QCOMPARE(settings->kind(), Dialect::Kind::Postgres);
    QCOMPARE(settings->dialect().driverName(), u"QPSQL"_s);
    QTEST(settings->host(), "host");
    QTEST(settings->port(), "port");
    QTEST(settings->databaseName(), "database");
    QTEST(settings->user(), "user");
    QTEST(settings->password(), "password");
    QTEST(settings->connectOptions(), "options");
}

void TestDatabaseSettings::keyValue_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<Options>("options");

    QTest::newRow("plain") << u"host=db port=5433 dbname=pitwall user=edge password=pw sslmode=require"_s
                           << u"db"_s << 5433 << u"pitwall"_s << u"edge"_s << u"pw"_s
                           << Options{{u"sslmode"_s, u"require"_s}};
    QTest::newRow("spaces and quotes")
            << u"  host = db   dbname='my db' password='it\\'s a \\\\secret' "_s << u"db"_s << 5432
            << u"my db"_s << QString() << u"it's a \\secret"_s << Options{};
    QTest::newRow("empty quoted value") << u"host=db password=''"_s << u"db"_s << 5432
                                        << QString() << QString() << QString() << Options{};
    QTest::newRow("last one wins")
            << u"host=a sslmode=disable host=b sslmode=require"_s << u"b"_s << 5432 << QString()
            << QString() << QString() << Options{{u"sslmode"_s, u"require"_s}};
}

void TestDatabaseSettings::keyValue()
{
    postgresUrl();
}

void TestDatabaseSettings::refused_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");

    QTest::newRow("scheme") << u"mysql://db/x"_s << u"unsupported scheme 'mysql'"_s;
    QTest::newRow("scheme without slashes") << u"redis:db"_s << u"unsupported scheme 'redis'"_s;
    QTest::newRow("postgres without //") << u"postgres:db/x"_s
                                         << u"a PostgreSQL URL starts with postgres://"_s;
    QTest::newRow("port too big") << u"postgres://u:hunter2@db:99999/x"_s
                                  << u"port '99999' out of range 1..65535"_s;
    QTest::newRow("port zero") << u"postgres://db:0/x"_s << u"port '0' out of range 1..65535"_s;
    QTest::newRow("port not a number") << u"postgres://db:abc/x"_s
                                       << u"port 'abc' is not a number"_s;
    QTest::newRow("empty port") << u"postgres://db:/x"_s << u"port '' is not a number"_s;
    QTest::newRow("port in query") << u"postgres://db/x?port=-1"_s
                                   << u"port '-1' is not a number"_s;
    QTest::newRow("unknown parameter") << u"postgres://db/x?sslmode=disable&colour=blue"_s
                                       << u"unknown connection parameter 'colour'"_s;
    QTest::newRow("parameter without value") << u"postgres://db/x?sslmode"_s
                                             << u"connection parameter 'sslmode' has no value"_s;
    QTest::newRow("semicolon in option") << u"postgres://db/x?application_name=a%3Bb"_s
                                         << u"connection parameter 'application_name' must not contain ';'"_s;
    QTest::newRow("unterminated IPv6") << u"postgres://[::1/x"_s << u"unterminated '[' in host"_s;
    QTest::newRow("junk after IPv6") << u"postgres://[::1]x/db"_s
                                     << u"unexpected 'x' after ']' in host"_s;
    QTest::newRow("kv unknown keyword") << u"host=db colour=blue"_s
                                        << u"unknown connection parameter 'colour'"_s;
    QTest::newRow("kv missing =") << u"host=db port"_s
                                  << u"missing '=' after 'port' in connection string"_s;
    QTest::newRow("kv missing keyword") << u"host=db =x"_s
                                        << u"missing keyword before '=' in connection string"_s;
    QTest::newRow("kv unterminated quote") << u"host=db password='hunter2"_s
                                           << u"unterminated quoted value for 'password'"_s;
    QTest::newRow("kv port") << u"host=db port=70000"_s << u"port '70000' out of range 1..65535"_s;
    QTest::newRow("sqlite without path") << u"sqlite:"_s << u"sqlite URL has no file path"_s;
    QTest::newRow("sqlite with host") << u"sqlite://host/x.db"_s
                                      << u"sqlite URL names a host; use sqlite:///absolute/path or sqlite:relative/path"_s;
    QTest::newRow("sqlite with parameters") << u"sqlite:///x.db?mode=ro"_s
                                            << u"sqlite URLs take no parameters"_s;
    QTest::newRow("unrecognised") << u"some database somewhere"_s
                                  << u"unrecognised database setting: expected postgres://..., postgresql://..., sqlite:... or libpq key=value pairs"_s;
}

void TestDatabaseSettings::refused()
{
    QFETCH(QString, value);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!DatabaseSettings::parse(value, m_dataDir, &error));
    QCOMPARE(error, message);
    QVERIFY(!error.contains(u"hunter2"));
}

void TestDatabaseSettings::redacted_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("redacted");
    QTest::addColumn<QString>("password");

    QTest::newRow("url") << u"postgres://edge:hunter2@db:5433/pitwall?sslmode=disable"_s
                         << u"postgres://edge:***@db:5433/pitwall?sslmode=disable"_s
                         << u"hunter2"_s;
    QTest::newRow("no password") << u"postgresql://edge@db/pitwall"_s
                                 << u"postgres://edge@db:5432/pitwall"_s << QString();
    QTest::newRow("key=value, ssl key password")
            << u"host=db user=edge password=hunter2 dbname=x sslpassword=hunter3 sslmode=verify-full"_s
            << u"postgres://edge:***@db:5432/x?sslpassword=***&sslmode=verify-full"_s
            << u"hunter2"_s;
    QTest::newRow("encoded parts") << u"postgres://us%40er:p%40ss@[::1]/d%20b"_s
                                   << u"postgres://us%40er:***@[::1]:5432/d%20b"_s << u"p@ss"_s;
    QTest::newRow("sqlite") << u"sqlite:edge.db"_s << u"sqlite:///var/lib/pitwall/edge.db"_s
                            << QString();
}

void TestDatabaseSettings::redacted()
{
    QFETCH(QString, value);
    const DatabaseSettings settings = parsed(value);
    QTEST(settings.redacted(), "redacted");
    QTEST(settings.password(), "password");
    QVERIFY(!settings.redacted().contains(u"hunter"));
}

void TestDatabaseSettings::defaults()
{
    const DatabaseSettings pg = parsed(u"postgres://db/x?connect_timeout=9"_s);
    QCOMPARE(pg.port(), 5432);
    QCOMPARE(pg.connectOption(u"connect_timeout"_s), std::optional<QString>(u"9"_s));
    QCOMPARE(pg.connectOption(u"sslmode"_s), std::nullopt);

    DatabaseSettings lite = parsed(QString());
    QCOMPARE(lite.busyTimeout(), std::chrono::milliseconds(5000));
    lite.setBusyTimeout(std::chrono::milliseconds(250));
    QCOMPARE(lite.busyTimeout(), std::chrono::milliseconds(250));
}

QTEST_APPLESS_MAIN(TestDatabaseSettings)
#include "databasesettings.moc"
