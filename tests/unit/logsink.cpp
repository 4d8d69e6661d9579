#include "core/log/logcontext.h"
#include "core/log/logring.h"
#include "core/log/logsink.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_LOGGING_CATEGORY(lcTestArea, "pitwall.testarea")
Q_LOGGING_CATEGORY(lcTestAreaTrace, "pitwall.testarea.trace")
Q_LOGGING_CATEGORY(lcQtFoo, "qt.foo")

namespace {

QStringList s_previousHandlerMessages;

void recordingHandler(QtMsgType, const QMessageLogContext &, const QString &message)
{
    s_previousHandlerMessages.append(message);
}

QJsonObject parseLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("not a JSON object line: %s", line.constData());
    return document.object();
}

} // namespace

class TestLogSink final : public QObject
{
    Q_OBJECT

private:
    QBuffer m_buffer;
    std::unique_ptr<LogRing> m_ring;

    void installSink(LogLevel level, LogFormat format)
    {
        LogSinkOptions options;
        options.level = level;
        options.format = format;
        options.ring = m_ring.get();
        options.device = &m_buffer;
        LogSink::install(options);
    }

    // Complete lines written so far, each with its trailing newline checked and removed.
    QList<QByteArray> lines() const
    {
        const QByteArray &data = m_buffer.data();
        if (!data.isEmpty() && !data.endsWith('\n'))
            qFatal("output does not end with a newline: %s", data.constData());
        QList<QByteArray> result = data.split('\n');
        result.removeLast();
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_ring = std::make_unique<LogRing>(100);
        m_buffer.setData(QByteArray());
        QVERIFY(m_buffer.open(QIODevice::WriteOnly));
    }

    void cleanup()
    {
        LogSink::uninstall();
        m_buffer.close();
        m_ring.reset();
    }

    void jsonLineHasExactKeys()
    {
        installSink(LogLevel::Info, LogFormat::Json);
        {
            LogContext::Scope scope(u"abc-123"_s, {{u"dl_ms"_s, 1234}});
            qCInfo(lcTestArea) << "download done";
        }
        qCWarning(lcTestArea) << "no context";

        const QList<QByteArray> written = lines();
        QCOMPARE(written.size(), 2);
        const QJsonObject first = parseLine(written.at(0));
        QCOMPARE(first.keys(), (QStringList{u"component"_s, u"corr"_s, u"dl_ms"_s, u"level"_s,
                                            u"msg"_s, u"ts"_s}));
        QCOMPARE(first.value(u"component"_s).toString(), u"testarea"_s);
        QCOMPARE(first.value(u"corr"_s).toString(), u"abc-123"_s);
        QCOMPARE(first.value(u"dl_ms"_s).toInt(), 1234);
        QCOMPARE(first.value(u"level"_s).toString(), u"info"_s);
        QCOMPARE(first.value(u"msg"_s).toString(), u"download done"_s);
        static const QRegularExpression isoUtc(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s);
        QVERIFY(isoUtc.match(first.value(u"ts"_s).toString()).hasMatch());

        const QJsonObject second = parseLine(written.at(1));
        QCOMPARE(second.keys(), (QStringList{u"component"_s, u"level"_s, u"msg"_s, u"ts"_s}));
        QCOMPARE(second.value(u"level"_s).toString(), u"warn"_s);

        // The ring got the same entries, numbered.
        const QList<LogEntry> kept = m_ring->entriesSince(0);
        QCOMPARE(kept.size(), 2);
        QCOMPARE(kept.at(0).id, quint64(1));
        QCOMPARE(kept.at(0).message, u"download done"_s);
        QCOMPARE(kept.at(0).correlationId, u"abc-123"_s);
        QCOMPARE(kept.at(0).level, LogLevel::Info);
        QCOMPARE(kept.at(0).component, u"testarea"_s);
        QCOMPARE(kept.at(1).id, quint64(2));
    }

    void textLineShape()
    {
        installSink(LogLevel::Info, LogFormat::Text);
        {
            LogContext::Scope scope(u"abc"_s, {{u"n"_s, 5}});
            LogContext::Fields fields({{u"path"_s, u"/a b"_s}, {u"ok"_s, true}});
            qCWarning(lcTestArea) << "disk low";
        }
        qCCritical(lcTestArea) << "two\nlines";
        qCInfo(lcTestArea) << "plain";

        const QList<QByteArray> written = lines();
        QCOMPARE(written.size(), 3);
        static const QRegularExpression shape(
            uR"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN  \[testarea\] disk low corr=abc n=5 ok=true path="/a b"$)"_s);
        QVERIFY2(shape.match(QString::fromUtf8(written.at(0))).hasMatch(), written.at(0).constData());
        QVERIFY2(written.at(1).endsWith(" ERROR [testarea] two\\nlines"), written.at(1).constData());
        QVERIFY2(written.at(2).endsWith("Z INFO  [testarea] plain"), written.at(2).constData());
    }

    void levelFiltering()
    {
        installSink(LogLevel::Info, LogFormat::Json);
        qCDebug(lcTestArea) << "debug at info";
        qCDebug(lcTestAreaTrace) << "trace at info";
        qCInfo(lcTestAreaTrace) << "trace-category info at info";
        qCInfo(lcTestArea) << "info at info";

        LogSink::setLevel(LogLevel::Warn);
        qCInfo(lcTestArea) << "info at warn";
        qCWarning(lcTestArea) << "warning at warn";

        LogSink::setLevel(LogLevel::Debug);
        qCDebug(lcTestArea) << "debug at debug";
        qCDebug(lcTestAreaTrace) << "trace at debug";

        LogSink::setLevel(LogLevel::Trace);
        qCDebug(lcTestArea) << "debug at trace";
        qCDebug(lcTestAreaTrace) << "trace at trace";

        LogSink::setLevel(LogLevel::Error);
        qCWarning(lcTestArea) << "warning at error";
        qCCritical(lcTestArea) << "critical at error";

        QStringList messages;
        QStringList levels;
        for (const QByteArray &line : lines()) {
            const QJsonObject json = parseLine(line);
            messages << json.value(u"msg"_s).toString();
            levels << json.value(u"level"_s).toString();
        }
        QCOMPARE(messages, (QStringList{u"info at info"_s, u"warning at warn"_s,
                                        u"debug at debug"_s, u"debug at trace"_s,
                                        u"trace at trace"_s, u"critical at error"_s}));
        QCOMPARE(levels, (QStringList{u"info"_s, u"warn"_s, u"debug"_s, u"debug"_s, u"trace"_s,
                                      u"error"_s}));
        QCOMPARE(m_ring->entriesSince(4).constFirst().component, u"testarea.trace"_s);
    }

    void qtAndDefaultCategoriesStayAtWarning()
    {
        installSink(LogLevel::Trace, LogFormat::Json);
        qCDebug(lcQtFoo) << "qt debug";
        qCInfo(lcQtFoo) << "qt info";
        qDebug() << "default debug";
        qInfo() << "default info";
        qCWarning(lcQtFoo) << "qt warning";
        qWarning() << "default warning";

        const QList<QByteArray> written = lines();
        QCOMPARE(written.size(), 2);
        QCOMPARE(parseLine(written.at(0)).value(u"component"_s).toString(), u"qt.foo"_s);
        QCOMPARE(parseLine(written.at(0)).value(u"msg"_s).toString(), u"qt warning"_s);
        QCOMPARE(parseLine(written.at(1)).value(u"component"_s).toString(), u"default"_s);
        QCOMPARE(parseLine(written.at(1)).value(u"msg"_s).toString(), u"default warning"_s);
    }

    void secretsAreRedacted()
    {
        const QString token = u"s3cr3t-T0ken"_s;
        const QString password = u"p@ss word/1"_s;
        LogSink::addSecret(token);
        LogSink::addSecret(password);
        LogSink::addSecret(u"abc"_s); // too short to redact safely: ignored

        for (const LogFormat format : {LogFormat::Json, LogFormat::Text}) {
            m_buffer.buffer().clear();
            m_buffer.seek(0);
            installSink(LogLevel::Info, format);
            {
                const QJsonObject fields = {
                    {u"url"_s, u"postgres://app:p%40ss%20word%2F1@db/pitwall"_s},
                    {u"nested"_s, QJsonObject{{u"auth"_s, u"Bearer s3cr3t-T0ken"_s}}},
                    {u"list"_s, QJsonArray{u"x s3cr3t-T0ken y"_s, 7}},
                    {u"s3cr3t-T0ken"_s, u"as a key"_s},
                };
                LogContext::Scope scope(u"corr-s3cr3t-T0ken"_s, fields);
                qCWarning(lcTestArea).noquote()
                    << u"login with %1 and %2 for abc"_s.arg(token, password);
            }
            const QByteArray output = m_buffer.data();
            QVERIFY2(!output.contains(token.toUtf8()), output.constData());
            QVERIFY2(!output.contains(password.toUtf8()), output.constData());
            QVERIFY2(!output.contains("p%40ss%20word%2F1"), output.constData());
            QVERIFY2(output.contains("login with *** and *** for abc"), output.constData());
            if (format == LogFormat::Json) {
                const QJsonObject json = parseLine(lines().constFirst());
                QCOMPARE(json.value(u"corr"_s).toString(), u"corr-***"_s);
                QCOMPARE(json.value(u"url"_s).toString(), u"postgres://app:***@db/pitwall"_s);
                QCOMPARE(json.value(u"nested"_s).toObject().value(u"auth"_s).toString(),
                         u"Bearer ***"_s);
                QCOMPARE(json.value(u"list"_s).toArray().at(0).toString(), u"x *** y"_s);
                QCOMPARE(json.value(u"list"_s).toArray().at(1).toInt(), 7);
                QCOMPARE(json.value(u"***"_s).toString(), u"as a key"_s);
            }
        }
        // What the ring keeps is redacted too.
        for (const LogEntry &entry : m_ring->entriesSince(0)) {
            QVERIFY(!entry.message.contains(token));
            QVERIFY(!entry.correlationId.contains(token));
            QVERIFY(!QJsonDocument(entry.fields).toJson().contains(token.toUtf8()));
        }
    }

    void doesNotRecurseWhenSomethingLogsInside()
    {
        installSink(LogLevel::Info, LogFormat::Json);
        int slotCalls = 0;
        connect(m_ring.get(), &LogRing::entryAppended, this, [&slotCalls] {
            ++slotCalls;
            qCWarning(lcTestArea) << "logged from inside the handler";
        }, Qt::DirectConnection);
        qCInfo(lcTestArea) << "outer";
        QCOMPARE(slotCalls, 1);
        QCOMPARE(lines().size(), 1);
        QCOMPARE(m_ring->lastId(), quint64(1));

        // The sink still works afterwards on this thread.
        m_ring->disconnect(this);
        qCInfo(lcTestArea) << "after";
        QCOMPARE(lines().size(), 2);
    }

    void linesFromThreadsNeverInterleave()
    {
        constexpr int Threads = 4;
        constexpr int PerThread = 250;
        installSink(LogLevel::Info, LogFormat::Json);
        const QString padding(8000, u'x');
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.emplace_back(QThread::create([t, &padding] {
                LogContext::Scope scope(u"thread-%1"_s.arg(t));
                for (int i = 0; i < PerThread; ++i)
                    qCInfo(lcTestArea).noquote() << u"%1 %2 %3"_s.arg(t).arg(i).arg(padding);
            }));
        }
        for (auto &thread : threads)
            thread->start();
        for (auto &thread : threads)
            QVERIFY(thread->wait(30000));

        const QList<QByteArray> written = lines();
        QCOMPARE(written.size(), Threads * PerThread);
        QList<int> nextPerThread(Threads, 0);
        for (const QByteArray &line : written) {
            const QJsonObject json = parseLine(line);
            const QStringList parts = json.value(u"msg"_s).toString().split(u' ');
            QCOMPARE(parts.size(), 3);
            const int t = parts.at(0).toInt();
            QCOMPARE(json.value(u"corr"_s).toString(), u"thread-%1"_s.arg(t));
            QCOMPARE(parts.at(1).toInt(), nextPerThread[t]++); // a thread's lines keep their order
            QCOMPARE(parts.at(2), padding);
        }
        QCOMPARE(m_ring->lastId(), quint64(Threads * PerThread));
    }

    void writesToFileHandle()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"pitwall.log"_s);
        FILE *file = std::fopen(QFile::encodeName(path).constData(), "w");
        QVERIFY(file);
        LogSinkOptions options;
        options.format = LogFormat::Text;
        options.file = file;
        LogSink::install(options);
        qCInfo(lcTestArea) << "to a file";
        // Flushed per line: readable before the handle is closed.
        QFile reader(path);
        QVERIFY(reader.open(QIODevice::ReadOnly));
        const QByteArray content = reader.readAll();
        LogSink::uninstall();
        std::fclose(file);
        QVERIFY2(content.endsWith("Z INFO  [testarea] to a file\n"), content.constData());
        QCOMPARE(content.count('\n'), 1);
    }

    void uninstallRestoresThePreviousHandler()
    {
        const QtMessageHandler testHandler = qInstallMessageHandler(recordingHandler);
        s_previousHandlerMessages.clear();
        installSink(LogLevel::Info, LogFormat::Text);
        qCWarning(lcTestArea) << "to the sink";
        LogSink::uninstall();
        qCWarning(lcTestArea) << "to the previous handler";
        qInstallMessageHandler(testHandler);

        QCOMPARE(lines().size(), 1);
        QCOMPARE(s_previousHandlerMessages, (QStringList{u"to the previous handler"_s}));
    }
};

QTEST_GUILESS_MAIN(TestLogSink)
#include "logsink.moc"
