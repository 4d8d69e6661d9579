#include "core/log/logcontext.h"

#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;
using Pitwall::LogContext;

class TestLogContext final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyOutsideAnyScope()
    {
        QVERIFY(LogContext::correlationId().isEmpty());
        QVERIFY(LogContext::fields().isEmpty());
        const LogContext::Snapshot snapshot = LogContext::capture();
        QVERIFY(snapshot.correlationId.isEmpty());
        QVERIFY(snapshot.fields.isEmpty());
    }

    void scopesNestAndRestore()
    {
        {
            LogContext::Scope outer(u"outer"_s, {{u"engine"_s, u"vod"_s}});
            QCOMPARE(LogContext::correlationId(), u"outer"_s);
            QCOMPARE(LogContext::fields().value(u"engine"_s).toString(), u"vod"_s);
            {
                LogContext::Scope inner(u"inner"_s);
                QCOMPARE(LogContext::correlationId(), u"inner"_s);
                // A new Scope is a new context: the outer fields do not leak in.
                QVERIFY(LogContext::fields().isEmpty());
            }
            QCOMPARE(LogContext::correlationId(), u"outer"_s);
            QCOMPARE(LogContext::fields().value(u"engine"_s).toString(), u"vod"_s);
        }
        QVERIFY(LogContext::correlationId().isEmpty());
        QVERIFY(LogContext::fields().isEmpty());
    }

    void fieldsAddOnTopAndRestore()
    {
        LogContext::Scope scope(u"req-1"_s, {{u"channel"_s, u"alpha"_s}, {u"dl_ms"_s, 1}});
        {
            LogContext::Fields timing({{u"dl_ms"_s, 1234}, {u"upl_ms"_s, 50}});
            QCOMPARE(LogContext::correlationId(), u"req-1"_s);
            const QJsonObject fields = LogContext::fields();
            QCOMPARE(fields.size(), 3);
            QCOMPARE(fields.value(u"channel"_s).toString(), u"alpha"_s);
            QCOMPARE(fields.value(u"dl_ms"_s).toInt(), 1234);
            QCOMPARE(fields.value(u"upl_ms"_s).toInt(), 50);
            {
                LogContext::Fields more({{u"total_ms"_s, 1300}});
                QCOMPARE(LogContext::fields().size(), 4);
            }
            QCOMPARE(LogContext::fields().size(), 3);
        }
        QCOMPARE(LogContext::fields(), (QJsonObject{{u"channel"_s, u"alpha"_s}, {u"dl_ms"_s, 1}}));
        QCOMPARE(LogContext::correlationId(), u"req-1"_s);
    }

    void fieldsWithoutScopeKeepEmptyCorrelation()
    {
        LogContext::Fields fields({{u"k"_s, true}});
        QVERIFY(LogContext::correlationId().isEmpty());
        QCOMPARE(LogContext::fields().value(u"k"_s).toBool(), true);
    }

    void captureCarriesIntoAnotherThread()
    {
        LogContext::Scope scope(u"corr-xyz"_s);
        LogContext::Fields fields({{u"channel"_s, u"beta"_s}});
        const LogContext::Snapshot snapshot = LogContext::capture();

        QString before, inside, after;
        QJsonObject insideFields;
        std::unique_ptr<QThread> worker(QThread::create([&] {
            before = LogContext::correlationId();
            {
                LogContext::Scope carried(snapshot);
                inside = LogContext::correlationId();
                insideFields = LogContext::fields();
            }
            after = LogContext::correlationId();
        }));
        worker->start();
        QVERIFY(worker->wait(10000));

        QVERIFY(before.isEmpty()); // contexts are per thread
        QCOMPARE(inside, u"corr-xyz"_s);
        QCOMPARE(insideFields.value(u"channel"_s).toString(), u"beta"_s);
        QVERIFY(after.isEmpty());
        QCOMPARE(LogContext::correlationId(), u"corr-xyz"_s); // this thread's is untouched
    }

    void threadsDoNotSeeEachOthersContext()
    {
        LogContext::Scope scope(u"main"_s);
        QString seen = u"unset"_s;
        std::unique_ptr<QThread> worker(QThread::create([&seen] {
            LogContext::Scope own(u"worker"_s);
            seen = LogContext::correlationId();
        }));
        worker->start();
        QVERIFY(worker->wait(10000));
        QCOMPARE(seen, u"worker"_s);
        QCOMPARE(LogContext::correlationId(), u"main"_s);
    }
};

QTEST_GUILESS_MAIN(TestLogContext)
#include "logcontext.moc"
