#pragma once

#include <QWidget>

class QPushButton;
class QTableView;

namespace Pitwall {

class CursorTableModel;
class RelayConsole;

// Receivers and cursors: how far each receiver has acknowledged each stream and epoch; delete a
// receiver's cursors on a stream after a confirmation naming both.
class CursorsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CursorsPanel)

public:
    explicit CursorsPanel(RelayConsole &console, QWidget *parent = nullptr);
    ~CursorsPanel() override;

private:
    void load();
    void deleteSelected();

    RelayConsole &m_console;
    CursorTableModel *m_model;
    QTableView *m_view;
    QPushButton *m_delete;
};

} // namespace Pitwall
