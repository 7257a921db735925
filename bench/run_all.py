"""`make bench`: every benchmark, each writing its figures to bench/results/."""
from bench import cold_start, orders_http, stock_hot_sku

if __name__ == "__main__":
    cold_start.main()
    stock_hot_sku.main()
    orders_http.main()
