from django.urls import path

from frontline.core.staged_import.views import staged_import_urls
from frontline.supplies import catalogue_views, views
from frontline.supplies.stocktake import StockTakeImporter

app_name = "supplies"

urlpatterns = [
    path("", views.stock, name="stock"),
    path("stock.xlsx", views.stock_xlsx, name="stock_xlsx"),
    path("stocktake.xlsx", views.stocktake_xlsx, name="stocktake_xlsx"),
    *staged_import_urls(StockTakeImporter, "stocktake/"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("moves/new/", views.move_create, name="move_create"),
    path("thresholds/", views.threshold, name="threshold"),
    path("items/", catalogue_views.items, name="items"),
    path("items/new/", catalogue_views.item_create, name="item_create"),
    path("items/<int:pk>/edit/", catalogue_views.item_edit, name="item_edit"),
    path("warehouses/", catalogue_views.warehouses, name="warehouses"),
    path("warehouses/new/", catalogue_views.warehouse_create, name="warehouse_create"),
    path("drives/", catalogue_views.drives, name="drives"),
    path("drives/new/", catalogue_views.drive_create, name="drive_create"),
    path("donations/", views.donations, name="donations"),
    path("donations/new/", views.donation_create, name="donation_create"),
    path("donations/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("allocations/run/", views.allocation_run, name="allocation_run"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation"),
    path("deliveries/<int:pk>/confirm/", views.delivery_confirm, name="delivery_confirm"),
    path("funds/", views.funds, name="funds"),
    path("funds/new/", catalogue_views.fund_create, name="fund_create"),
    path("funds/<int:pk>/", views.fund_detail, name="fund"),
    path("funds/<int:pk>/statement.xlsx", views.fund_xlsx, name="fund_xlsx"),
    path("funds/<int:pk>/receive/", views.fund_receive, name="fund_receive"),
    path("funds/<int:pk>/disburse/", views.fund_disburse, name="fund_disburse"),
    path(
        "disbursements/<int:pk>/approve/", views.disbursement_approve, name="disbursement_approve"
    ),
    path("fund-receipts/", views.fund_receipts, name="fund_receipts"),
    path("beneficiaries/", views.beneficiaries, name="beneficiaries"),
    path("disclosure/", views.disclosure_link, name="disclosure_link"),
    path("public/<str:token>/", views.public, name="public"),
    path("public/<str:token>/sheet.xlsx", views.public_xlsx, name="public_xlsx"),
]
