#include "core/config/configloader.h"
#include "core/db/databasesupervisor.h"
#include "core/enginehost.h"
#include "vod/chatstore.h"
#include "vod/chattablemodel.h"
#include "vod/chatpanel.h"
#include "vod/vodconsole.h"
#include "vod/vodengine.h"
#include "vod/vodqueuepanel.h"
#include "vod/vodstore.h"
#include "vod/vodtablemodel.h"

#include "mediaserver.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// The VOD panels against a real VOD engine: a real yt-dlp downloads from the tests' media server
// while the queue panel shows its progress, and the operator's clicks (cancel, reprocess,
// priority, skip upload) reach the engine and the database. The chat panel shows a VOD's stored
// chat and filters it.
class ConsoleVodTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void progressIsLiveAndCancelReachesTheEngine();
    void priorityAndSkipUploadReachTheEngine();
    void reprocessQueuesAgain();
    void chatFollowsTheSelectedVod();

private:
    void select(const QString &vodId);
    VodRecord stored(const QString &vodId);
    // Answers the next modal dialog of this class and objectName once it is shown.
    template <typename Dialog>
    void answerNext(const QString &objectName, std::function<void(Dialog *)> answer);

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<MediaServer> m_media;
    std::unique_ptr<EngineHost> m_host;
    std::unique_ptr<VodConsole> m_console;
    std::unique_ptr<VodQueuePanel> m_queue;
    std::unique_ptr<ChatPanel> m_chat;
    std::unique_ptr<QAbstractItemModelTester> m_queueTester;
    std::unique_ptr<QAbstractItemModelTester> m_chatTester;
    QTableView *m_view = nullptr;
};

void ConsoleVodTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    m_media = std::make_unique<MediaServer>();
    // Slow enough to be canceled mid-way: 8 MiB at 256 KiB/s.
    m_media->addFile(u"/videos/v1.mp4"_s, MediaServer::content(8 * 1024 * 1024, 1), 256 * 1024);
    QVERIFY2(m_media->start(), qPrintable(m_media->errorString()));

    AppConfig config = ConfigLoader::defaults();
    config.dataDir = m_testDb->scratchDir();
    config.databaseUrl = m_testDb->url();
    config.bindPort = 0;
    // alice's pipeline downloads; bob's VODs only sit in the queue for the operator's actions.
    config.vod.queue.channels = {u"alice"_s};
    config.vod.queue.processInterval = std::chrono::milliseconds(300);
    config.vod.download.dataDir = m_testDb->scratchDir() + u"/vods"_s;
    config.vod.download.urlTemplate = m_media->url(u"/videos/{id}.mp4"_s);
    config.vod.download.aria2c = DownloadSettings::Aria2c::Never;
    m_host = std::make_unique<EngineHost>(config, nullptr);
    QString error;
    QVERIFY2(m_host->start(&error,
                           [&config](EngineHost &host) {
                               host.addEngine(std::make_unique<VodEngine>(
                                       host.database(), host.router(), host.metrics(),
                                       config.vod, config.nodeId));
                           }),
             qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(m_host->databaseSupervisor()->status().ready, 30000);

    StoreError storeError;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    VodStore store(m_host->database());
    QVERIFY(store.upsertDiscovered(u"alice"_s, {{u"v1"_s, u"First"_s, now.addDays(-1), 60}},
                                   &storeError));
    QVERIFY(store.upsertDiscovered(u"bob"_s,
                                   {{u"v2"_s, u"Second"_s, now.addDays(-2), 60},
                                    {u"v3"_s, u"Third"_s, now.addDays(-3), 60}},
                                   &storeError));

    auto *engine = qobject_cast<VodEngine *>(m_host->engine(u"vod"_s));
    QVERIFY(engine);
    m_console = std::make_unique<VodConsole>(*m_host, *engine);
    m_queueTester = std::make_unique<QAbstractItemModelTester>(
            &m_console->queue(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_chatTester = std::make_unique<QAbstractItemModelTester>(
            &m_console->chat(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_queue = std::make_unique<VodQueuePanel>(*m_console);
    m_chat = std::make_unique<ChatPanel>(*m_console);
    connect(m_queue.get(), &VodQueuePanel::vodSelected, m_chat.get(), &ChatPanel::showVod);
    m_view = m_queue->findChild<QTableView *>(u"vodQueueView"_s);
    QVERIFY(m_view);
    m_queue->show();
    QTRY_COMPARE_WITH_TIMEOUT(m_console->queue().rowCount(), 3, 10000);
}

void ConsoleVodTest::cleanup()
{
    m_chat.reset();
    m_queue.reset();
    m_chatTester.reset();
    m_queueTester.reset();
    m_console.reset();
    if (m_host)
        m_host->stop();
    m_host.reset();
    m_media.reset();
    m_testDb.reset();
}

void ConsoleVodTest::select(const QString &vodId)
{
    const QModelIndexList found = m_view->model()->match(
            m_view->model()->index(0, 0), VodTableModel::VodIdRole, vodId, 1, Qt::MatchExactly);
    QVERIFY2(!found.isEmpty(), qPrintable(vodId));
    m_view->selectRow(found.first().row());
}

VodRecord ConsoleVodTest::stored(const QString &vodId)
{
    StoreError error;
    const auto vod = VodStore(m_host->database()).get(vodId, &error);
    return vod.value_or(VodRecord());
}

template <typename Dialog>
void ConsoleVodTest::answerNext(const QString &objectName, std::function<void(Dialog *)> answer)
{
    auto *timer = new QTimer(this);
    timer->setInterval(20);
    connect(timer, &QTimer::timeout, this, [timer, objectName, answer] {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            auto *dialog = qobject_cast<Dialog *>(widget);
            if (dialog && dialog->objectName() == objectName && dialog->isVisible()) {
                timer->deleteLater();
                timer->stop();
                answer(dialog);
                return;
            }
        }
    });
    timer->start();
}

void ConsoleVodTest::progressIsLiveAndCancelReachesTheEngine()
{
    VodTableModel &model = m_console->queue();
    const int row = model.rowOf(u"v1"_s);
    QList<int> percents;
    connect(&model, &QAbstractItemModel::dataChanged, this, [&] {
        const int percent = model.index(row, VodTableModel::Progress)
                                    .data(VodTableModel::PercentRole)
                                    .toInt();
        if (model.vod(row).state == VodState::Downloading)
            percents.append(percent);
    });
    QTRY_VERIFY_WITH_TIMEOUT(!percents.isEmpty() && percents.last() >= 5, 30000);
    QCOMPARE(model.vod(row).state, VodState::Downloading);
    for (qsizetype i = 1; i < percents.size(); ++i)
        QVERIFY2(percents.at(i) >= percents.at(i - 1), "progress went backwards");
    QVERIFY(stored(u"v1"_s).state == VodState::Downloading);

    select(u"v1"_s);
    auto *cancel = m_queue->findChild<QPushButton *>(u"cancelVodButton"_s);
    QVERIFY(cancel->isEnabled());
    // Declined first: nothing happens.
    answerNext<QMessageBox>(u"cancelVodConfirmation"_s,
                            [](QMessageBox *box) { box->button(QMessageBox::No)->click(); });
    cancel->click();
    QTest::qWait(300);
    QCOMPARE(stored(u"v1"_s).state, VodState::Downloading);

    answerNext<QMessageBox>(u"cancelVodConfirmation"_s,
                            [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); });
    cancel->click();
    QTRY_COMPARE_WITH_TIMEOUT(model.vod(row).state, VodState::Canceled, 10000);
    QCOMPARE(stored(u"v1"_s).state, VodState::Canceled);
    QCOMPARE(stored(u"v1"_s).downloadAttempts, 0);
    QTRY_VERIFY(!cancel->isEnabled());
}

void ConsoleVodTest::priorityAndSkipUploadReachTheEngine()
{
    select(u"v2"_s);
    answerNext<QInputDialog>(u"priorityDialog"_s, [](QInputDialog *dialog) {
        dialog->setIntValue(7);
        dialog->accept();
    });
    m_queue->findChild<QPushButton *>(u"priorityVodButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(stored(u"v2"_s).priority, 7, 10000);
    VodTableModel &model = m_console->queue();
    QTRY_COMPARE(model.vod(model.rowOf(u"v2"_s)).priority, 7);

    auto *skip = m_queue->findChild<QPushButton *>(u"skipUploadVodButton"_s);
    QVERIFY(!skip->isChecked());
    skip->click();
    QTRY_VERIFY_WITH_TIMEOUT(stored(u"v2"_s).skipUpload, 10000);
    QTRY_VERIFY(model.vod(model.rowOf(u"v2"_s)).skipUpload);
    QVERIFY(skip->isChecked());
    skip->click();
    QTRY_VERIFY_WITH_TIMEOUT(!stored(u"v2"_s).skipUpload, 10000);
}

void ConsoleVodTest::reprocessQueuesAgain()
{
    StoreError error;
    QVERIFY(VodStore(m_host->database()).cancel(u"v3"_s, &error));
    // Changed behind the console's back: a reload (as after start-up) shows it.
    VodListFilter all;
    all.limit = 0;
    m_console->queue().setVods(*VodStore(m_host->database()).list(all, &error));
    select(u"v3"_s);
    auto *reprocess = m_queue->findChild<QPushButton *>(u"reprocessVodButton"_s);
    QTRY_VERIFY(reprocess->isEnabled());
    answerNext<QMessageBox>(u"reprocessVodConfirmation"_s,
                            [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); });
    reprocess->click();
    QTRY_COMPARE_WITH_TIMEOUT(stored(u"v3"_s).state, VodState::Queued, 10000);
    VodTableModel &model = m_console->queue();
    QTRY_COMPARE(model.vod(model.rowOf(u"v3"_s)).state, VodState::Queued);
}

void ConsoleVodTest::chatFollowsTheSelectedVod()
{
    QList<StoredChatMessage> rows;
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-600);
    const QStringList texts = {u"hello there"_s, u"Kappa"_s, u"good game"_s};
    for (int i = 0; i < texts.size(); ++i) {
        StoredChatMessage row;
        row.vodId = u"v2"_s;
        row.relTimestamp = i * 10;
        row.message.channel = u"bob"_s;
        row.message.messageId = u"m%1"_s.arg(i);
        row.message.username = u"viewer%1"_s.arg(i);
        row.message.text = texts.at(i);
        row.message.sentAt = start.addSecs(i * 10);
        rows.append(row);
    }
    StoreError error;
    QVERIFY(ChatStore(m_host->database()).insert(rows, &error));

    select(u"v2"_s);
    auto *view = m_chat->findChild<QTableView *>(u"chatView"_s);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 3, 10000);
    QCOMPARE(view->model()->index(1, ChatTableModel::Message).data().toString(), u"Kappa"_s);
    m_chat->findChild<QLineEdit *>(u"chatSearch"_s)->setText(u"GAME"_s);
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, ChatTableModel::User).data().toString(), u"viewer2"_s);

    // Live rows of another VOD are not shown; those of this one are, once.
    StoredChatMessage live = rows.first();
    live.id = 1000;
    live.vodId = u"v3"_s;
    m_console->chat().appendLive(u"bob"_s, {live});
    live.vodId = u"v2"_s;
    live.message.text = u"another game"_s;
    m_console->chat().appendLive(u"bob"_s, {live});
    QCOMPARE(m_console->chat().rowCount(), 4);
    QCOMPARE(view->model()->rowCount(), 2);

    select(u"v3"_s);
    QTRY_COMPARE(m_console->chat().rowCount(), 0);
}

QTEST_MAIN(ConsoleVodTest)
#include "consolevod.moc"
