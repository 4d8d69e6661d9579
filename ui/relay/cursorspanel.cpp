#include "cursorspanel.h"

#include "cursortablemodel.h"
#include "panelrefresher.h"
#include "relayconsole.h"
#include "relayconsoleservice.h"
#include "relaydialogs.h"
#include "relaytable.h"
#include "streamtablemodel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

CursorsPanel::CursorsPanel(RelayConsole &console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_model(new CursorTableModel(
              [&streams = console.streams()](const QString &streamId) {
                  return streams.nameOf(streamId);
              },
              this))
    , m_view(createRelayTable(m_model, u"cursorsView"_s, this))
    , m_delete(new QPushButton(tr("Delete cursor…"), this))
{
    setObjectName(u"cursorsPanel"_s);
    m_delete->setObjectName(u"deleteCursorButton"_s);
    m_delete->setEnabled(false);
    connect(m_delete, &QPushButton::clicked, this, &CursorsPanel::deleteSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_delete->setEnabled(m_view->selectionModel()->hasSelection()); });
    const RelayConsoleService &service = console.service();
    connect(&service, &RelayConsoleService::cursorsLoaded, m_model, &CursorTableModel::merge);
    connect(&service, &RelayConsoleService::cursorsDeleted, this, &CursorsPanel::load);
    // Receivers move their cursors with every acknowledgement; no event says so.
    new PanelRefresher(this, std::chrono::seconds(5), [this] { load(); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_delete);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_view);
}

CursorsPanel::~CursorsPanel() = default;

void CursorsPanel::load()
{
    m_console.run([](RelayConsoleService &service) { service.loadCursors(); });
}

void CursorsPanel::deleteSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const ReceiverCursor cursor = m_model->at(rows.first().row());
    const QString streamName = m_console.streams().nameOf(cursor.streamId);
    askToConfirm(this, u"deleteCursorConfirm"_s, tr("Delete cursor?"),
                 tr("Delete the cursors of receiver %1 on stream %2, in every epoch?\n\nThe relay "
                    "forgets how far this receiver has acknowledged the stream; it resumes from "
                    "what it asks for when it next connects.")
                         .arg(cursor.receiverId, streamName),
                 tr("Delete"), [this, cursor] {
                     m_console.run([receiverId = cursor.receiverId,
                                    streamId = cursor.streamId](RelayConsoleService &service) {
                         service.deleteCursors(receiverId, streamId);
                     });
                 });
}

} // namespace Pitwall
