#include "core/db/sqlscript.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using Pitwall::SqlScript;
using Pitwall::SqlStatement;
using Statements = QList<SqlStatement>;

namespace QTest {
template<>
char *toString(const SqlStatement &statement)
{
    return qstrdup(qPrintable(u"line %1: [%2]"_s.arg(statement.line).arg(statement.sql)));
}
} // namespace QTest

class TestSqlScript final : public QObject
{
    Q_OBJECT

private slots:
    void split_data();
    void split();
    void errors_data();
    void errors();
};

void TestSqlScript::split_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<Statements>("statements");

    QTest::newRow("two statements, line numbers")
            << u"CREATE TABLE a (x INT);\n\nCREATE TABLE b (y INT);\n"_s
            << Statements{{u"CREATE TABLE a (x INT)"_s, 1}, {u"CREATE TABLE b (y INT)"_s, 3}};
    QTest::newRow("statement over several lines")
            << u"\n\nCREATE TABLE a (\n    x INT\n);"_s
            << Statements{{u"CREATE TABLE a (\n    x INT\n)"_s, 3}};
    QTest::newRow("last statement without semicolon")
            << u"SELECT 1;\nSELECT 2"_s
            << Statements{{u"SELECT 1"_s, 1}, {u"SELECT 2"_s, 2}};
    QTest::newRow("empty statements dropped")
            << u";;\n  ;\nSELECT 1;;"_s << Statements{{u"SELECT 1"_s, 3}};
    QTest::newRow("nothing but comments") << u"-- a\n/* b; */\n"_s << Statements{};
    QTest::newRow("single quotes, doubled quote")
            << u"INSERT INTO t VALUES ('a;''b');\nSELECT ';'"_s
            << Statements{{u"INSERT INTO t VALUES ('a;''b')"_s, 1}, {u"SELECT ';'"_s, 2}};
    QTest::newRow("quoted identifiers")
            << u"CREATE TABLE \"we;\"\"ird\" (`x;` INT);SELECT 1"_s
            << Statements{{u"CREATE TABLE \"we;\"\"ird\" (`x;` INT)"_s, 1}, {u"SELECT 1"_s, 1}};
    QTest::newRow("E string with backslash escapes")
            << u"SELECT E'it\\'s; fine', 'back\\';\nSELECT 2"_s
            << Statements{{u"SELECT E'it\\'s; fine', 'back\\'"_s, 1}, {u"SELECT 2"_s, 2}};
    QTest::newRow("line comments")
            << u"-- header; with 'quote\nSELECT 1 -- trailing; 'x\n;\nSELECT 2; -- after\n"_s
            << Statements{{u"SELECT 1"_s, 2}, {u"SELECT 2"_s, 4}};
    QTest::newRow("block comments")
            << u"/* a;\n b ' */ SELECT /* ; */ 1;\n/*\n*/\nSELECT 2;"_s
            << Statements{{u"SELECT /* ; */ 1"_s, 2}, {u"SELECT 2"_s, 5}};
    QTest::newRow("dollar quotes")
            << u"CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  PERFORM pg_notify('c', 'x;y');\n"
               "  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 1;"_s
            << Statements{{u"CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  PERFORM "
                           "pg_notify('c', 'x;y');\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql"_s,
                           1},
                          {u"SELECT 1"_s, 7}};
    QTest::newRow("tagged dollar quotes nest $$")
            << u"DO $body$ BEGIN EXECUTE $$SELECT ';'$$; END $body$;\nSELECT 2;"_s
            << Statements{{u"DO $body$ BEGIN EXECUTE $$SELECT ';'$$; END $body$"_s, 1},
                          {u"SELECT 2"_s, 2}};
    QTest::newRow("positional parameters are not dollar quotes")
            << u"SELECT $1; SELECT a$b FROM t$1;"_s
            << Statements{{u"SELECT $1"_s, 1}, {u"SELECT a$b FROM t$1"_s, 1}};
    QTest::newRow("sqlite trigger body")
            << u"CREATE TRIGGER t_ins AFTER INSERT ON t\nBEGIN\n  UPDATE c SET n = n + 1;\n"
               "  INSERT INTO log VALUES (new.id);\nEND;\nSELECT 1;"_s
            << Statements{{u"CREATE TRIGGER t_ins AFTER INSERT ON t\nBEGIN\n  UPDATE c SET n = n + "
                           "1;\n  INSERT INTO log VALUES (new.id);\nEND"_s,
                           1},
                          {u"SELECT 1"_s, 6}};
    QTest::newRow("trigger with CASE ... END inside")
            << u"create temp trigger x after update on t begin\n"
               "update t set s = case when new.a > 0 then 'p;' else 'n' end;\nend;\nselect 1;"_s
            << Statements{{u"create temp trigger x after update on t begin\nupdate t set s = case "
                           "when new.a > 0 then 'p;' else 'n' end;\nend"_s,
                           1},
                          {u"select 1"_s, 4}};
    QTest::newRow("BEGIN outside a trigger is a statement")
            << u"BEGIN;\nINSERT INTO t (begin_at, end_at) VALUES (1, 2);\nCOMMIT;"_s
            << Statements{{u"BEGIN"_s, 1},
                          {u"INSERT INTO t (begin_at, end_at) VALUES (1, 2)"_s, 2},
                          {u"COMMIT"_s, 3}};
    QTest::newRow("postgres trigger has no body")
            << u"CREATE TRIGGER n AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nSELECT 1;"_s
            << Statements{{u"CREATE TRIGGER n AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()"_s, 1},
                          {u"SELECT 1"_s, 2}};
    QTest::newRow("CRLF line ends") << u"SELECT 1;\r\nSELECT 2;\r\n"_s
                                    << Statements{{u"SELECT 1"_s, 1}, {u"SELECT 2"_s, 2}};
}

void TestSqlScript::split()
{
    QFETCH(QString, script);
    QString error;
    const auto statements = SqlScript::split(script, &error);
    QVERIFY2(statements, qPrintable(error));
    QTEST(*statements, "statements");
}

void TestSqlScript::errors_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("message");

    QTest::newRow("string") << u"SELECT 1;\n\nSELECT 'abc;\n"_s
                            << u"unterminated string starting at line 3"_s;
    QTest::newRow("doubled quote at the end") << u"SELECT 'a''"_s
                                              << u"unterminated string starting at line 1"_s;
    QTest::newRow("identifier") << u"\nSELECT \"x"_s
                                << u"unterminated quoted identifier starting at line 2"_s;
    QTest::newRow("block comment") << u"SELECT 1;\n/* never\nclosed"_s
                                   << u"unterminated /* comment starting at line 2"_s;
    QTest::newRow("dollar quote") << u"SELECT 1;\nDO $fn$ BEGIN END $$;"_s
                                  << u"unterminated dollar-quoted string $fn$ starting at line 2"_s;
    QTest::newRow("trigger without END")
            << u"SELECT 1;\n\nCREATE TRIGGER t AFTER INSERT ON x BEGIN\nSELECT 1;\n"_s
            << u"unterminated trigger body (BEGIN without END) in the statement starting at line 3"_s;
}

void TestSqlScript::errors()
{
    QFETCH(QString, script);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!SqlScript::split(script, &error));
    QCOMPARE(error, message);
}

QTEST_APPLESS_MAIN(TestSqlScript)
#include "sqlscript.moc"
