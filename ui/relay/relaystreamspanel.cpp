#include "relaystreamspanel.h"

#include "relayconsole.h"
#include "relayconsoleservice.h"
#include "relaytable.h"
#include "streamactions.h"
#include "streamtablemodel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

RelayStreamsPanel::RelayStreamsPanel(RelayConsole &console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_actions(new StreamActions(console, this))
    , m_view(createRelayTable(&console.streams(), u"relayStreamsView"_s, this))
    , m_rename(new QPushButton(tr("Rename…"), this))
    , m_reset(new QPushButton(tr("Reset epoch…"), this))
    , m_export(new QPushButton(tr("Export…"), this))
{
    setObjectName(u"relayStreamsPanel"_s);
    m_rename->setObjectName(u"renameStreamButton"_s);
    m_reset->setObjectName(u"resetEpochButton"_s);
    m_export->setObjectName(u"exportStreamButton"_s);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(u"refreshStreamsButton"_s);

    connect(m_rename, &QPushButton::clicked, this,
            [this] { m_actions->rename(selectedStream()); });
    connect(m_reset, &QPushButton::clicked, this,
            [this] { m_actions->resetEpoch(selectedStream()); });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QJsonObject stream = selectedStream();
        m_actions->exportStream(stream, std::nullopt,
                                stream.value(u"dedup_count"_s).toInteger());
    });
    connect(refresh, &QPushButton::clicked, this, [this] {
        m_console.run([](RelayConsoleService &service) { service.loadStreams(); });
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RelayStreamsPanel::selectionChanged);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_rename);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_export);
    buttons->addStretch();
    buttons->addWidget(refresh);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_view);
    selectionChanged();
}

RelayStreamsPanel::~RelayStreamsPanel() = default;

QJsonObject RelayStreamsPanel::selectedStream() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return m_console.streams().at(rows.first().row()).json;
}

void RelayStreamsPanel::selectionChanged()
{
    const QString streamId = selectedStream().value(u"stream_id"_s).toString();
    for (QPushButton *button : {m_rename, m_reset, m_export})
        button->setEnabled(!streamId.isEmpty());
    emit streamSelected(streamId);
}

} // namespace Pitwall
