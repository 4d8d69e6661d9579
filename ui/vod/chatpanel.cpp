#include "chatpanel.h"

#include "chattablemodel.h"
#include "vodconsole.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace Pitwall {

ChatPanel::ChatPanel(VodConsole &console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_title(new QLabel(this))
    , m_search(new QLineEdit(this))
    , m_follow(new QCheckBox(tr("&Follow"), this))
    , m_filtered(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("chatPanel"));
    m_search->setObjectName(QStringLiteral("chatSearch"));
    m_search->setPlaceholderText(tr("Search users and messages"));
    m_search->setClearButtonEnabled(true);
    m_follow->setObjectName(QStringLiteral("chatFollow"));
    m_follow->setChecked(true);
    m_filtered->setSourceModel(&console.chat());
    m_filtered->setFilterKeyColumn(-1);
    m_filtered->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(QStringLiteral("chatView"));
    m_view->setModel(m_filtered);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(ChatTableModel::Message,
                                                     QHeaderView::Stretch);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_follow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    connect(m_search, &QLineEdit::textChanged, m_filtered,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filtered, &QAbstractItemModel::rowsInserted, this, &ChatPanel::rowsInserted);
    showVod(QString());
}

ChatPanel::~ChatPanel() = default;

void ChatPanel::showVod(const QString &vodId)
{
    m_title->setText(vodId.isEmpty() ? tr("Live chat, all channels") : tr("Chat of %1").arg(vodId));
    m_console.showChat(vodId);
}

void ChatPanel::rowsInserted()
{
    if (m_follow->isChecked())
        m_view->scrollToBottom();
}

} // namespace Pitwall
