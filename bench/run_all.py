"""`make bench`: every benchmark, each writing its figures to bench/results/."""
from bench import cold_start, orders_http, pwa_size, stock_hot_sku

if __name__ == "__main__":
    cold_start.main()
    pwa_size.main()
    stock_hot_sku.main()
    orders_http.main()
