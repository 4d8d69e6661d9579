// The logs panel's model and filter over a real LogRing: incremental appends, the row bound,
// level/component/search filters, and the panel's follow toggle.
#include "core/log/logring.h"
#include "shell/logfiltermodel.h"
#include "shell/logmodel.h"
#include "shell/logspanel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using Pitwall::LogEntry;
using Pitwall::LogFilterModel;
using Pitwall::LogLevel;
using Pitwall::LogModel;
using Pitwall::LogRing;

namespace {

void log(LogRing &ring, LogLevel level, const QString &component, const QString &message)
{
    LogEntry entry;
    entry.timestamp = QDateTime::currentDateTimeUtc();
    entry.level = level;
    entry.component = component;
    entry.message = message;
    ring.append(entry);
}

QStringList messages(const QAbstractItemModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, LogModel::MessageColumn).data().toString());
    return result;
}

} // namespace

class LogModelTest final : public QObject
{
    Q_OBJECT

private slots:
    void appendsOnlyWhatIsNew()
    {
        LogRing ring;
        LogModel model(ring);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.poll();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(inserted.size(), 0);

        log(ring, LogLevel::Info, u"http"_s, u"first"_s);
        log(ring, LogLevel::Warn, u"relay"_s, u"second"_s);
        model.poll();
        QCOMPARE(messages(model), (QStringList{u"first"_s, u"second"_s}));
        QCOMPARE(inserted.size(), 1); // one batch, one insert
        model.poll();
        QCOMPARE(inserted.size(), 1);

        log(ring, LogLevel::Error, u"http"_s, u"third"_s);
        model.poll();
        QCOMPARE(messages(model), (QStringList{u"first"_s, u"second"_s, u"third"_s}));
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model.index(1, LogModel::LevelColumn).data().toString(), u"warn"_s);
        QCOMPARE(model.index(2, LogModel::ComponentColumn).data().toString(), u"http"_s);
        QCOMPARE(model.index(2, 0).data(LogModel::IdRole).toULongLong(), 3u);
    }

    void dropsTheOldestRowsBeyondTheBound()
    {
        LogRing ring(100);
        LogModel model(ring, 5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int i = 0; i < 4; ++i)
            log(ring, LogLevel::Info, u"core"_s, QString::number(i));
        model.poll();
        QCOMPARE(removed.size(), 0);
        for (int i = 4; i < 7; ++i)
            log(ring, LogLevel::Info, u"core"_s, QString::number(i));
        model.poll();
        QCOMPARE(messages(model), (QStringList{u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s}));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 0);
        QCOMPARE(removed.first().at(2).toInt(), 1);

        // A burst larger than the bound: only its newest entries are kept.
        for (int i = 7; i < 20; ++i)
            log(ring, LogLevel::Info, u"core"_s, QString::number(i));
        model.poll();
        QCOMPARE(messages(model), (QStringList{u"15"_s, u"16"_s, u"17"_s, u"18"_s, u"19"_s}));
    }

    void filtersByLevelComponentAndText()
    {
        LogRing ring;
        LogModel model(ring);
        LogFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QStringList components;
        connect(&model, &LogModel::componentAdded, this,
                [&components](const QString &component) { components.append(component); });
        log(ring, LogLevel::Debug, u"http"_s, u"GET /healthz"_s);
        log(ring, LogLevel::Info, u"relay"_s, u"forwarder connected"_s);
        log(ring, LogLevel::Warn, u"relay"_s, u"Reader offline"_s);
        log(ring, LogLevel::Error, u"db"_s, u"connection lost"_s);
        model.poll();
        QCOMPARE(components, (QStringList{u"http"_s, u"relay"_s, u"db"_s}));
        QCOMPARE(filter.rowCount(), 4);

        filter.setMinimumLevel(LogLevel::Warn);
        QCOMPARE(messages(filter), (QStringList{u"Reader offline"_s, u"connection lost"_s}));
        filter.setComponent(u"relay"_s);
        QCOMPARE(messages(filter), (QStringList{u"Reader offline"_s}));
        filter.setMinimumLevel(LogLevel::Trace);
        QCOMPARE(messages(filter), (QStringList{u"forwarder connected"_s, u"Reader offline"_s}));
        filter.setSearchText(u"READER"_s);
        QCOMPARE(messages(filter), (QStringList{u"Reader offline"_s}));
        filter.setComponent({});
        filter.setSearchText(u"http"_s); // the component matches too
        QCOMPARE(messages(filter), (QStringList{u"GET /healthz"_s}));

        // New rows pass through the active filter incrementally.
        log(ring, LogLevel::Info, u"http"_s, u"POST /api/v1/admin/tokens"_s);
        log(ring, LogLevel::Info, u"relay"_s, u"receiver connected"_s);
        model.poll();
        QCOMPARE(messages(filter), (QStringList{u"GET /healthz"_s, u"POST /api/v1/admin/tokens"_s}));
    }

    void panelFiltersAndFollows()
    {
        LogRing ring;
        Pitwall::LogsPanel panel(ring);
        panel.resize(600, 200);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        for (int i = 0; i < 200; ++i)
            log(ring, i % 10 == 0 ? LogLevel::Error : LogLevel::Info, u"core"_s, u"line %1"_s.arg(i));
        auto *view = panel.findChild<QTableView *>(u"logView"_s);
        QTRY_COMPARE(view->model()->rowCount(), 200);
        QScrollBar *scroll = view->verticalScrollBar();
        QTRY_COMPARE(scroll->value(), scroll->maximum());
        QVERIFY(scroll->maximum() > 0);

        // Follow off: new rows do not move the view.
        panel.findChild<QCheckBox *>(u"logFollow"_s)->setChecked(false);
        scroll->setValue(0);
        log(ring, LogLevel::Info, u"core"_s, u"later"_s);
        QTRY_COMPARE(view->model()->rowCount(), 201);
        QCOMPARE(scroll->value(), 0);

        auto *level = panel.findChild<QComboBox *>(u"logLevelFilter"_s);
        level->setCurrentIndex(level->findData(int(LogLevel::Error)));
        QCOMPARE(view->model()->rowCount(), 20);
        auto *component = panel.findChild<QComboBox *>(u"logComponentFilter"_s);
        QCOMPARE(component->findData(u"core"_s), 1);
        panel.findChild<QLineEdit *>(u"logSearch"_s)->setText(u"line 19"_s);
        QCOMPARE(view->model()->rowCount(), 1);
    }
};

QTEST_MAIN(LogModelTest)
#include "logmodel.moc"
